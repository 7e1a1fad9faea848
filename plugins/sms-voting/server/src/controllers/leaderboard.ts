import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod/v4';
import { getService } from '../utils/get-service';
import { parseBody } from '../utils/validation';
import { LeaderboardQuery } from '../routes/schemas';
import type { GetLeaderboard, Language } from '../../../shared/contracts';

type Ctx = {
  params: { slug: string };
  query: { locale?: string; round?: string };
  req: { on(event: 'close', listener: () => void): void; socket: { setTimeout(ms: number): void; setNoDelay(on: boolean): void } };
  request: { ip: string };
  /** Set by the app (cms/src/lib/callers.ts). */
  state: { caller?: { kind: string } };
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
};

const languageOf = (ctx: Ctx): Language => (ctx.query.locale === 'es' ? 'es' : 'en');

const createLeaderboardController = ({ strapi }: { strapi: Core.Strapi }) => {
  /** The event, if the public may see its results now (a private board is a 404, not a 403). */
  const publicEvent = async (slug: string) => {
    const event = await getService(strapi, 'directory').eventBySlug(slug);
    if (!event || !getService(strapi, 'leaderboard').isPublic(event)) throw new errors.NotFoundError('No public leaderboard for this event');
    return event;
  };

  return {
    /** `?round=<n>` for a given round that has opened (a recap's earlier rounds); the current one otherwise. */
    async show(ctx: Ctx) {
      const event = await publicEvent(ctx.params.slug);
      const { round: roundNumber } = parseBody(z.object({ round: LeaderboardQuery.round }), ctx.query, 'round must be a round number');
      const standings = await getService(strapi, 'leaderboard').standings(event, languageOf(ctx), roundNumber);
      if (!standings) throw new errors.NotFoundError(`Round ${roundNumber} has no results`);
      ctx.set({ 'Cache-Control': 'public, max-age=1' });
      ctx.body = { data: standings } satisfies GetLeaderboard.Response;
    },

    async stream(ctx: Ctx) {
      const event = await publicEvent(ctx.params.slug);
      // The site's one upstream per event is capped only in all; everyone else per address too.
      const address = ctx.state.caller?.kind === 'site' ? undefined : ctx.request.ip;
      const { stream, close } = await getService(strapi, 'live')
        .open(event, languageOf(ctx), address)
        .catch((error: unknown) => {
          if (error instanceof errors.RateLimitError) ctx.set({ 'Retry-After': String((error.details as { retryAfter?: number }).retryAfter ?? 15) });
          throw error;
        });
      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      ctx.req.on('close', () => {
        close();
        stream.end();
      });
      ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      ctx.status = 200;
      ctx.body = stream;
    },
  };
};

export default createLeaderboardController;
