import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CloseRound, GetEventDashboard, ListEvents, OpenRound, ResendRound, ReviewSuspicious } from '../../../shared/contracts';
import { getService } from '../utils/get-service';

type Ctx = { params: Record<string, string>; body: unknown };

/** The admin's live event page: numbers, round controls and the review list. */
const createAdminController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async events(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'dashboard').events() } satisfies ListEvents.Response;
  },

  async event(ctx: Ctx) {
    const dashboard = await getService(strapi, 'dashboard').event(ctx.params.documentId);
    if (!dashboard) throw new errors.NotFoundError('No such published event');
    ctx.body = { data: dashboard } satisfies GetEventDashboard.Response;
  },

  async openRound(ctx: Ctx) {
    const result = await getService(strapi, 'rounds').open(ctx.params.documentId);
    if (!result.opened) {
      if (result.reason === 'not_found') throw new errors.NotFoundError('No such round');
      throw new errors.ValidationError('Only a pending round can be opened');
    }
    ctx.body = { data: { opened: true } } satisfies OpenRound.Response;
  },

  async closeRound(ctx: Ctx) {
    const result = await getService(strapi, 'rounds').close(ctx.params.documentId);
    if (!result.closed) {
      if (result.reason === 'not_found') throw new errors.NotFoundError('No such round');
      throw new errors.ValidationError('Only an open round can be closed');
    }
    ctx.body = { data: { closed: true } } satisfies CloseRound.Response;
  },

  /** Queues the round's notifications again, for the fans not reached (never sent, failed or dead). */
  async resendRound(ctx: Ctx) {
    const result = await getService(strapi, 'rounds').resend(ctx.params.documentId);
    if (!result.queued) {
      if (result.reason === 'not_found') throw new errors.NotFoundError('No such round');
      throw new errors.ValidationError('Only an open round can be notified again');
    }
    ctx.body = { data: { queued: true } } satisfies ResendRound.Response;
  },

  async review(ctx: Ctx) {
    const updated = await getService(strapi, 'abuse').markReviewed(Number(ctx.params.id));
    if (!updated) throw new errors.NotFoundError('No such record');
    ctx.body = { data: { reviewed: true } } satisfies ReviewSuspicious.Response;
  },
});

export default createAdminController;
