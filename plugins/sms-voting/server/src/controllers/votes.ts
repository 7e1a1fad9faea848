import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { metrics } from '@ovation/workers/jobs';
import type { CastWebVote, GetBallot } from '../../../shared/contracts';
import { artistCard } from '../services/directory';
import { conflict, gone } from '../utils/errors';
import { getService } from '../utils/get-service';
import { parseBody } from '../utils/validation';
import { WebVoteBody } from '../routes/schemas';

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
 * Web votes with a one-time token: 201 recorded, 404 unknown token, 409 used or already voted,
 * 410 round not open, 400 unknown choice. The votes service decides; this maps its answer.
 */
const createVotesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const directory = () => getService(strapi, 'directory');

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
      const outcome = await getService(strapi, 'votes').castWithToken(parsed.token, parsed.choice);
      metrics.countWebVote(outcome.status);
      if (outcome.status === 'accepted') {
        getService(strapi, 'abuse').noteWebVote(ctx.request.ip, outcome.round.eventRef).catch((error) => strapi.log.warn(`abuse note failed: ${error}`));
        ctx.status = 201;
        ctx.body = {
          data: {
            round: { number: outcome.round.number },
            choice: { code: outcome.entry.code, artist: artistCard(outcome.entry) },
            createdAt: outcome.createdAt.toISOString(),
          },
        } satisfies CastWebVote.Response;
        return;
      }
      if (outcome.status === 'unknown_choice') {
        throw new errors.ValidationError(`"${parsed.choice}" is not on this round's lineup`, {
          errors: [{ path: ['choice'], message: 'Unknown choice', name: 'ValidationError' }],
        });
      }
      if (outcome.status === 'already_voted') {
        getService(strapi, 'abuse').noteWebVote(ctx.request.ip, outcome.round.eventRef).catch((error) => strapi.log.warn(`abuse note failed: ${error}`));
        throw conflict(`You already voted in round ${outcome.round.number}`);
      }
      throw refusal(outcome.status);
    },
  };
};

export default createVotesController;
