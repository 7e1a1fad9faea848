import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { knexFor } from '@ovation/workers/jobs';
import { DELIVERIES_TABLE, SUBSCRIPTIONS_TABLE, deliverJobKey, newMessageId, type WebhookBody, type WebhookEventType, type WebhookPayload } from '@ovation/workers/webhooks';
import { eventTypesOf } from './subscriptions';

/**
 * Emits a webhook event: one delivery row per active subscription that wants it, and one
 * `webhook.deliver` job each, written in the transaction in progress (the change that causes the
 * event): committed together, or rolled back together. The workers deliver; the request never waits
 * on a partner.
 */
const createEvents = ({ strapi }: { strapi: Core.Strapi }) => ({
  async emit<T extends WebhookEventType>(type: T, data: WebhookPayload<T>, { subscriptionId }: { subscriptionId?: number } = {}) {
    return strapi.db.transaction(async () => {
      const knex = await knexFor(strapi);
      const query = knex(SUBSCRIPTIONS_TABLE).where({ active: true }).select('id', 'event_types');
      if (subscriptionId) query.where({ id: subscriptionId });
      const wanted = ((await query) as { id: number; event_types: unknown }[]).filter((row) => subscriptionId || (eventTypesOf(row.event_types) as string[]).includes(type));
      if (wanted.length === 0) return { messageId: null, deliveries: [] as number[] };
      const now = new Date();
      const messageId = newMessageId();
      // The body is fixed here, so every attempt and every redelivery sends (and signs) the same bytes.
      const body = JSON.stringify({ type, timestamp: now.toISOString(), data } satisfies WebhookBody<T>);
      const rows = (await knex(DELIVERIES_TABLE)
        .insert(
          wanted.map((subscription) => ({
            document_id: crypto.randomBytes(12).toString('hex'),
            message_id: messageId,
            subscription_id: subscription.id,
            event_type: type,
            body,
            state: 'pending',
            step: 0,
            round: 0,
            attempts: 0,
            attempt_log: JSON.stringify([]),
            created_at: now,
            updated_at: now,
            published_at: now,
          }))
        )
        .returning(['id'])) as { id: number }[];
      const deliveries = rows.map((row) => Number(row.id));
      await strapi.plugin('ops').service('jobs').enqueueMany(
        'webhook.deliver',
        deliveries.map((deliveryId) => ({ payload: { deliveryId }, key: deliverJobKey(deliveryId, 0, 0) }))
      );
      return { messageId, deliveries };
    });
  },

  /**
   * A round opened or closed (sms-voting's rounds, in their transaction). A close whose event shows
   * results (public, or after close) also publishes them: `results.published`.
   */
  async emitRound(type: 'round.opened' | 'round.closed', round: WebhookPayload<'round.opened'>) {
    await this.emit(type, round);
    if (type !== 'round.closed') return;
    const event = await (await knexFor(strapi))('events').where({ document_id: round.event }).whereNotNull('published_at').first('results_visibility');
    if (event && event.results_visibility !== 'private') await this.emit('results.published', { event: round.event, round: round.documentId, number: round.number });
  },
});

export type EventsService = ReturnType<typeof createEvents>;
export default createEvents;
