/**
 * Shapes of the voting API, from the sms-voting plugin's contract (one definition, shared with the
 * cms and its admin), plus what only the site has: the problems a fan can meet and the answer of
 * the site's own `POST /api/votes`.
 */
import type { Ballot, BallotEntry, StandingsEntry, VoteReceipt } from '@ovation/plugin-sms-voting/contracts';

export type { Ballot, BallotEntry, Standings, StandingsEntry, VoteReceipt } from '@ovation/plugin-sms-voting/contracts';

/**
 * What a fan reads for an entry: the artist's name, or "Act <code>" while the artist is not
 * published (`actLabel` is `live.act` in the page's language).
 */
export function entryName(entry: Pick<BallotEntry | StandingsEntry, 'code' | 'artist'>, actLabel: string): string {
  return entry.artist?.name ?? actLabel.replace('{code}', entry.code);
}

/** The name a receipt's choice is shown by (see entryName). */
export const choiceName = (receipt: VoteReceipt, actLabel: string) => entryName(receipt.choice, actLabel);

/**
 * Why a fan could not vote. Each has a message `vote.error.<problem>` in both languages.
 * `offline` is only ever detected in the browser (the request never left the phone).
 */
export const VOTE_PROBLEMS = ['unknown', 'used', 'expired', 'closed', 'choice', 'rateLimited', 'unavailable', 'offline'] as const;
export type VoteProblem = (typeof VOTE_PROBLEMS)[number];

/** The site's own `POST /api/votes` answer, which the vote island reads. */
export type CastVoteAnswer = { ok: true; receipt: VoteReceipt } | { ok: false; problem: VoteProblem };

/** Problems worth a "Try again" button: nothing about the link or the choice is wrong. */
export function isRetryable(problem: VoteProblem): boolean {
  return problem === 'offline' || problem === 'unavailable' || problem === 'rateLimited';
}

/** The HTTP status a problem is answered with (the vote page, the vote endpoint). */
const PROBLEM_STATUS: Record<VoteProblem, number> = {
  unknown: 404,
  used: 409,
  expired: 410,
  closed: 410,
  choice: 400,
  rateLimited: 429,
  unavailable: 503,
  offline: 503,
};

export function problemStatus(problem: VoteProblem): number {
  return PROBLEM_STATUS[problem];
}
