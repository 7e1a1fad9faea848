/**
 * Client for the sms-voting plugin's public API (server side). Tokens are the fan's one-time
 * voting links; answers are mapped to the few outcomes a fan is told about.
 */
import { VOTING_API as API, isVoteCode, isVoteToken, type BatchedVoteOutcome, type GetBallot, type GetLeaderboard, type CastWebVote } from '@ovation/plugin-sms-voting/contracts';
import { currentFan } from './fan-context';
import { castInBatch, refusalOf } from './vote-batch';
import { CmsError, CmsResponseError, cmsBaseUrl, cmsRequest } from './cms';
import type { Ballot, Standings, VoteProblem, VoteReceipt } from './vote-types';

/** A token in the contract's format; anything else is not worth a round trip to the CMS. */
export function isPlausibleToken(token: string | undefined): token is string {
  return isVoteToken(token);
}

/** A vote code in the contract's format (the lineup's `vote_code`). */
export function isPlausibleChoice(choice: unknown): choice is string {
  return isVoteCode(choice);
}

export type BallotResult = { ok: true; ballot: Ballot } | { ok: false; problem: VoteProblem };

/** What a voting link offers: the event, the round and its choices, or why it cannot be used. */
export async function getBallot(token: string): Promise<BallotResult> {
  if (!isPlausibleToken(token)) return { ok: false, problem: 'unknown' };
  try {
    const answer = await cmsRequest(`${API}/tokens/${encodeURIComponent(token)}`);
    const data = (answer.body as Partial<GetBallot.Response> | null)?.data;
    if (answer.status === 200 && data && Array.isArray(data.entries)) return { ok: true, ballot: data };
    return { ok: false, problem: ballotProblem(answer.status) };
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    console.error(`[site] ${err.message}`);
    return { ok: false, problem: 'unavailable' };
  }
}

function ballotProblem(status: number): VoteProblem {
  if (status === 404) return 'unknown';
  if (status === 409) return 'used';
  if (status === 410) return 'expired';
  return 'unavailable';
}

export type CastResult = { ok: true; receipt: VoteReceipt } | { ok: false; problem: VoteProblem; retryAfter?: string };

/**
 * Casts the vote: with the others fans make in the same moment when it is a fan's (lib/vote-batch.ts),
 * else (no fan's address: `astro dev` without one) alone.
 */
export async function castVote(token: string, choice: unknown): Promise<CastResult> {
  if (!isPlausibleToken(token)) return { ok: false, problem: 'unknown' };
  if (!isPlausibleChoice(choice)) return { ok: false, problem: 'choice' };
  const fan = currentFan();
  try {
    const outcome = fan ? await castInBatch({ token, choice, address: fan.address }) : await castAlone(token, choice);
    if (outcome.status === 201 && 'data' in outcome && outcome.data?.choice) return { ok: true, receipt: outcome.data };
    const problem = voteProblem(outcome.status);
    if (problem === 'unavailable') console.error(`[site] vote refused with ${outcome.status}: ${'error' in outcome ? outcome.error.message : 'no error body'}`);
    const retryAfter = 'retryAfter' in outcome && outcome.retryAfter ? String(outcome.retryAfter) : undefined;
    return { ok: false, problem, retryAfter };
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    console.error(`[site] ${err.message}`);
    return { ok: false, problem: 'unavailable' };
  }
}

/** One vote in a request of its own, its answer as a batch's outcome. */
async function castAlone(token: string, choice: string): Promise<BatchedVoteOutcome> {
  const answer = await cmsRequest(`${API}/votes`, { method: 'POST', json: { token, choice }, timeoutMs: 8_000 });
  const data = (answer.body as Partial<CastWebVote.Response> | null)?.data;
  if (answer.status === 201 && data) return { status: 201, data };
  return refusalOf(answer, 201);
}

function voteProblem(status: number): VoteProblem {
  switch (status) {
    case 400:
      return 'choice';
    case 404:
      return 'unknown';
    case 409:
      return 'used';
    case 410:
      return 'closed';
    case 429:
      return 'rateLimited';
    default:
      return 'unavailable';
  }
}

export type StandingsResult = { visible: true; standings: Standings } | { visible: false };

/** Standings asked for within this long are shared: a leaderboard polled by thousands costs the CMS one read a second. */
const STANDINGS_TTL_MS = 1_000;
const recentStandings = new Map<string, { expires: number; value: Promise<StandingsResult> }>();

/**
 * The event's standings, or `{ visible: false }` when its results are not public (the CMS answers
 * 404 then). `round` asks for one round's results (recaps); without it, the current round's.
 * Throws a CmsError when the CMS is unreachable or fails.
 */
export function getStandings(slug: string, round?: number): Promise<StandingsResult> {
  const key = `${slug}#${round ?? ''}`;
  const now = Date.now();
  const hit = recentStandings.get(key);
  if (hit && hit.expires > now) return hit.value;
  // Shared by every fan asking within the second; the fan whose request missed the cache pays for
  // it (so made-up slugs spend the asker's budget, not the site's).
  const value = fetchStandings(slug, round);
  recentStandings.set(key, { expires: now + STANDINGS_TTL_MS, value });
  // A failure is not worth remembering; neither is anything once it has expired.
  value.catch(() => recentStandings.delete(key));
  for (const [k, entry] of recentStandings) if (entry.expires <= now) recentStandings.delete(k);
  return value;
}

async function fetchStandings(slug: string, round?: number): Promise<StandingsResult> {
  const path = `${API}/events/${encodeURIComponent(slug)}/leaderboard`;
  const answer = await cmsRequest(path, { params: round === undefined ? undefined : { round } });
  const data = (answer.body as Partial<GetLeaderboard.Response> | null)?.data;
  if (answer.status === 200 && data && Array.isArray(data.entries)) return { visible: true, standings: data };
  if (answer.status === 404) return { visible: false };
  throw new CmsResponseError(`CMS answered ${answer.status} for ${path}`, `${cmsBaseUrl()}${path}`, answer.status, {
    retryAfter: answer.headers.get('retry-after') ?? undefined,
  });
}

/** The upstream URL of an event's standings stream (server-sent events). */
export function standingsStreamUrl(slug: string): string {
  return `${cmsBaseUrl()}${API}/events/${encodeURIComponent(slug)}/leaderboard/stream`;
}
