import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { metrics } from '@ovation/workers/jobs';
import { conflict, gone } from '../utils/errors';
import { getService } from '../utils/get-service';
import type { TokenGrant } from '../services/tokens';

const WebVote = z.object({
  token: z.string().min(16).max(64),
  choice: z.string().trim().min(1).max(10),
});

type Ctx = {
  method: string;
  request: { body?: unknown; ip: string };
  params: { token?: string };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
};

/** A refused web vote is counted (a look at a link with GET is not a vote, so only POSTs count). */
const refused = (ctx: Ctx, reason: Parameters<typeof metrics.countWebVote>[0], error: Error) => {
  if (ctx.method === 'POST') metrics.countWebVote(reason);
  return error;
};

/**
 * Web votes with a one-time token: 201 recorded, 404 unknown token, 409 used or already voted,
 * 410 round not open, 400 unknown choice.
 */
const createVotesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const directory = () => getService(strapi, 'directory');

  /** The token's round, if votes may still be cast with it; otherwise the 404/409/410 it deserves. */
  const usableGrant = async (ctx: Ctx, token: string) => {
    const grant = await getService(strapi, 'tokens').find(token);
    if (!grant) throw refused(ctx, 'unknown_token', new errors.NotFoundError('This voting link is not valid'));
    if (grant.usedAt) throw refused(ctx, 'token_used', conflict('This voting link has already been used'));
    const round = (await directory().rounds(grant.eventRef)).find((r) => r.documentId === grant.roundRef);
    const now = Date.now();
    const open =
      round?.state === 'open' && (!round.closesAt || round.closesAt.getTime() > now) && (!grant.expiresAt || grant.expiresAt.getTime() > now);
    if (!round || !open) throw refused(ctx, 'round_closed', gone('This round is closed'));
    return { grant, round };
  };

  const describe = async (grant: TokenGrant) => {
    const event = await directory().eventById(grant.eventRef);
    return { event, lineup: await directory().lineup(grant.eventRef) };
  };

  return {
    async token(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const { grant, round } = await usableGrant(ctx, String(ctx.params.token ?? ''));
      const { event, lineup } = await describe(grant);
      ctx.body = {
        data: {
          event: event && { slug: event.slug, title: directory().titleOf(event, grant.language) },
          round: { number: round.number, title: round.title, state: round.state, closes_at: round.closesAt?.toISOString() ?? null },
          entries: lineup.map((entry) => ({ code: entry.code, order: entry.order, artist: entry.artist && { name: entry.artist.name, slug: entry.artist.slug } })),
          fan: { locale: grant.language },
        },
      };
    },

    async create(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const parsed = WebVote.safeParse(ctx.request.body);
      if (!parsed.success) {
        metrics.countWebVote('invalid');
        throw new errors.ValidationError('A vote needs a token and a choice', {
          errors: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message, name: 'ValidationError' })),
        });
      }
      const { grant, round } = await usableGrant(ctx, parsed.data.token);
      const entry = await directory().entryByCode(grant.eventRef, parsed.data.choice);
      if (!entry) {
        metrics.countWebVote('unknown_choice');
        throw new errors.ValidationError(`"${parsed.data.choice}" is not on this round's lineup`, {
          errors: [{ path: ['choice'], message: 'Unknown choice', name: 'ValidationError' }],
        });
      }

      const outcome = await getService(strapi, 'votes').cast({
        fanRef: grant.fanRef,
        eventRef: grant.eventRef,
        roundRef: round.documentId,
        entry,
        channel: 'web',
        tokenId: grant.id,
      });
      getService(strapi, 'abuse').noteWebVote(ctx.request.ip, grant.eventRef).catch((error) => strapi.log.warn(`abuse note failed: ${error}`));

      metrics.countWebVote(outcome.status === 'accepted' ? 'accepted' : outcome.status);
      if (outcome.status === 'token_used') throw conflict('This voting link has already been used');
      if (outcome.status === 'already_voted') throw conflict(`You already voted in round ${round.number}`);
      if (outcome.status === 'round_closed') throw gone('This round is closed');
      ctx.status = 201;
      ctx.body = {
        data: {
          round: { number: round.number },
          choice: { code: entry.code, artist: entry.artist && { name: entry.artist.name, slug: entry.artist.slug } },
          createdAt: outcome.createdAt.toISOString(),
        },
      };
    },
  };
};

export default createVotesController;
