import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { DeliveryView, Requeued } from '../../../shared/contracts/webhooks';
import { getService } from '../utils/get-service';
import { parse } from '../utils/validation';
import { idParam } from './subscriptions';

type Ctx = { params: Record<string, string>; query: Record<string, unknown>; request: { body?: unknown }; body: unknown; status: number };

const listQuery = z.object({
  outcome: z.enum(['pending', 'succeeded', 'failed']).optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const retryBody = z.object({ since: z.coerce.date() }).strict();

/** The delivery log of a subscription (filtered by outcome), Redeliver, and Retry all failed since. */
const createDeliveriesController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    const subscription = await getService(strapi, 'subscriptions').find(idParam(ctx));
    const { outcome, ...page } = parse(listQuery, ctx.query);
    ctx.body = { data: (await getService(strapi, 'deliveries').list(Number(subscription.id), { state: outcome, ...page })) satisfies DeliveryView[] };
  },

  async redeliver(ctx: Ctx) {
    ctx.status = 202;
    ctx.body = { data: { deliveries: await getService(strapi, 'deliveries').redeliver(idParam(ctx)) } satisfies Requeued };
  },

  async retryFailed(ctx: Ctx) {
    const subscription = await getService(strapi, 'subscriptions').find(idParam(ctx));
    const { since } = parse(retryBody, ctx.request.body ?? {});
    ctx.status = 202;
    ctx.body = { data: { deliveries: await getService(strapi, 'deliveries').retryFailedSince(Number(subscription.id), since) } satisfies Requeued };
  },
});

export default createDeliveriesController;
