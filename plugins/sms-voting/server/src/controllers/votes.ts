import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { OUTAGE_MESSAGES, OUTAGE_RETRY_AFTER_SECONDS, metrics, outageOf } from '@ovation/workers/jobs';
import createError from 'http-errors';
import type { BatchedVoteOutcome, CastWebVote, CastWebVoteBatch, GetBallot, VoteReceipt } from '../../../shared/contracts';
import { limitKey } from '../middlewares/rate-limit';
import { artistCard } from '../services/directory';
import { conflict, gone } from '../utils/errors';
import { getService } from '../utils/get-service';
import { parseBody } from '../utils/validation';
import { WebVoteBatchBody, WebVoteBody } from '../routes/schemas';

type Ctx = {
  request: { body?: unknown; ip: string };
  params: { token?: string };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
};

/** The answer a refused link gets: 404 unknown, 409 used, 410 round (or event) no longer open. */
const refusal = (status: 'unknown_token' | 'token_used' | 'round_closed') => {
  if (status === 'unknown_token') return new errors.NotFoundError('This voting link is not valid');
  if (status === 'token_used') return conflict('This voting link has already been used');
  return gone('This round is closed');
};

/**
 * A refused vote as the cms would answer it alone (its `error`), for a batch: a refusal as Strapi's
 * error middleware, an outage (Redis or the database away) as the outages middleware, 503 with when
 * to try again, so the batch's other votes keep their answers. Anything else is a fault and fails the
 * batch as it would fail the request.
 */
function outcomeOf(error: unknown, retryAfter?: number): Exclude<BatchedVoteOutcome, { status: 201 }> {
  const outage = outageOf(error);
  if (outage) {
    return { status: 503, error: { status: 503, name: 'ServiceUnavailableError', message: OUTAGE_MESSAGES[outage] }, retryAfter: OUTAGE_RETRY_AFTER_SECONDS };
  }
  if (error instanceof errors.ApplicationError) {
    const status = error instanceof errors.NotFoundError ? 404 : error instanceof errors.RateLimitError ? 429 : error instanceof errors.ForbiddenError ? 403 : 400;
    return { status, error: { status, name: error.name, message: error.message, details: error.details }, ...(retryAfter ? { retryAfter } : {}) };
  }
  if (createError.isHttpError(error) && error.expose) return { status: error.status, error: { status: error.status, name: error.name, message: error.message } };
  throw error;
}

/**
 * Web votes with a one-time token: 201 recorded, 404 unknown token, 409 used or already voted,
 * 410 round not open, 400 unknown choice. The votes service decides; this maps its answer.
 */
const createVotesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const directory = () => getService(strapi, 'directory');
  const appKeys = strapi.config.get('server.app.keys') as string[];

  /** The vote, recorded (its receipt) or refused with the error its request is answered with. */
  const cast = async (token: string, choice: string, ip: string): Promise<VoteReceipt> => {
    const outcome = await getService(strapi, 'votes').castWithToken(token, choice);
    metrics.countWebVote(outcome.status);
    if (outcome.status === 'accepted') {
      getService(strapi, 'abuse').noteWebVote(ip, outcome.round.eventRef).catch((error) => strapi.log.warn(`abuse note failed: ${error}`));
      return { round: { number: outcome.round.number }, choice: { code: outcome.entry.code, artist: artistCard(outcome.entry) }, createdAt: outcome.createdAt.toISOString() };
    }
    if (outcome.status === 'unknown_choice') {
      throw new errors.ValidationError(`"${choice}" is not on this round's lineup`, {
        errors: [{ path: ['choice'], message: 'Unknown choice', name: 'ValidationError' }],
      });
    }
    if (outcome.status === 'already_voted') {
      getService(strapi, 'abuse').noteWebVote(ip, outcome.round.eventRef).catch((error) => strapi.log.warn(`abuse note failed: ${error}`));
      throw conflict(`You already voted in round ${outcome.round.number}`);
    }
    throw refusal(outcome.status);
  };

  /**
   * One vote of a batch, within the limits the route's middlewares apply to `POST /votes`
   * (middlewares/rate-limit.ts): guesses at links per address (spent on a 404) and attempts per token.
   */
  const castLimited = async (vote: { token: string; choice: string; address: string }): Promise<BatchedVoteOutcome> => {
    const limits = getService(strapi, 'limits');
    const guesses = limitKey('ip', vote.address, appKeys);
    const limited = (verdict: { allowed: boolean; retryAfterSeconds?: number }) =>
      verdict.allowed ? undefined : outcomeOf(new errors.RateLimitError('Too many requests: try again in a moment', { retryAfter: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
    try {
      const refused = limited(await limits.spent('guessesPerIp', guesses)) ?? limited(await limits.take('attemptsPerToken', limitKey('token', vote.token, appKeys)));
      if (refused) return refused;
      return { status: 201, data: await cast(vote.token, vote.choice, vote.address) };
    } catch (error) {
      const outcome = outcomeOf(error);
      if (outcome.status === 404) await limits.take('guessesPerIp', guesses).catch(() => undefined);
      return outcome;
    }
  };

  return {
    async token(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const checked = await getService(strapi, 'votes').check(String(ctx.params.token ?? ''));
      if (checked.status !== 'usable') throw refusal(checked.status);
      const { grant, round, event } = checked;
      const lineup = await directory().lineup(grant.eventRef);
      ctx.body = {
        data: {
          event: { slug: event.slug, title: directory().titleOf(event, grant.language) },
          round: { number: round.number, title: round.title, state: round.state, closes_at: round.closesAt?.toISOString() ?? null },
          entries: lineup.map((entry) => ({ code: entry.code, order: entry.order, artist: artistCard(entry) })),
          fan: { locale: grant.language },
        },
      } satisfies GetBallot.Response;
    },

    async create(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const parsed = parseBody(WebVoteBody, ctx.request.body, 'A vote needs a token and a choice', () => metrics.countWebVote('invalid'));
      ctx.status = 201;
      ctx.body = { data: await cast(parsed.token, parsed.choice, ctx.request.ip) } satisfies CastWebVote.Response;
    },

    /**
     * The site's votes for many fans in one request (the site's token only): each vote goes through
     * what `POST /votes` would put it through alone (the limits per address and per token, the
     * vote, the refusals) and gets that answer in its place. The site sends the votes its fans make
     * in the same moment together, so a crowd voting at once costs the cms one request per moment,
     * not one per fan.
     */
    async batch(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const { votes } = parseBody(WebVoteBatchBody, ctx.request.body, "A batch needs votes, each with a token, a choice and the fan's address");
      ctx.body = { data: await Promise.all(votes.map((vote) => castLimited(vote))) } satisfies CastWebVoteBatch.Response;
    },
  };
};

export default createVotesController;
