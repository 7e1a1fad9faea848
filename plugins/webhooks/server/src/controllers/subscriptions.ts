import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { WEBHOOK_EVENT_TYPES } from '@ovation/workers/webhooks';
import { z } from 'zod';
import type { Requeued, SubscriptionListing, SubscriptionView, SubscriptionWithSecret } from '../../../shared/contracts/webhooks';
import { getService } from '../utils/get-service';
import { parse } from '../utils/validation';

type Ctx = { params: Record<string, string>; request: { body?: unknown }; body: unknown; status: number };

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES, { errorMap: (_, ctx) => ({ message: `${JSON.stringify(ctx.data)} is not an event type (known: ${WEBHOOK_EVENT_TYPES.join(', ')})` }) })).min(1).max(WEBHOOK_EVENT_TYPES.length);
const fields = {
  url: z.string().trim().min(1).max(2000),
  eventTypes,
  active: z.boolean(),
  description: z.string().max(500).nullable(),
  ownerEmail: z.string().trim().email().max(254).nullable(),
};
const createBody = z.object({ ...fields, active: fields.active.optional(), description: fields.description.optional(), ownerEmail: fields.ownerEmail.optional() }).strict();
const updateBody = z.object(fields).partial().strict();
export const idParam = (ctx: Ctx) => parse(z.coerce.number().int().positive(), ctx.params.id);

/** Subscriptions: list, create (the secret shown once), edit, remove, rotate the secret, send a test event. */
const createSubscriptionsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'subscriptions').list(), meta: { eventTypes: [...WEBHOOK_EVENT_TYPES] } } satisfies SubscriptionListing;
  },

  async create(ctx: Ctx) {
    const input = parse(createBody, ctx.request.body ?? {});
    ctx.status = 201;
    ctx.body = { data: (await getService(strapi, 'subscriptions').create(input)) satisfies SubscriptionWithSecret };
  },

  async update(ctx: Ctx) {
    const id = idParam(ctx);
    const input = parse(updateBody, ctx.request.body ?? {});
    ctx.body = { data: (await getService(strapi, 'subscriptions').update(id, input)) satisfies SubscriptionView };
  },

  async remove(ctx: Ctx) {
    await getService(strapi, 'subscriptions').remove(idParam(ctx));
    ctx.body = { data: { removed: true } };
  },

  async rotate(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'subscriptions').rotate(idParam(ctx))) satisfies SubscriptionWithSecret };
  },

  async sendTest(ctx: Ctx) {
    const subscription = await getService(strapi, 'subscriptions').find(idParam(ctx));
    if (!subscription.active) throw new errors.ValidationError('This subscription is disabled: enable it to send it a test event');
    const { deliveries } = await getService(strapi, 'events').sendTest(Number(subscription.id), { subscription: String(subscription.documentId), message: 'A test event from Ovation' });
    ctx.status = 202;
    ctx.body = { data: { deliveries } satisfies Requeued };
  },
});

export default createSubscriptionsController;
