import type { Core } from '@strapi/strapi';
import { knexFor } from '@ovation/workers/jobs';
import { fanoutJobKey, subscribersOf, webhookMessage, writeDeliveries, type WebhookEventType, type WebhookPayload } from '@ovation/workers/webhooks';

/**
 * Emits webhook events, always inside the transaction in progress (the change that causes the event):
 * committed together, or rolled back together. The workers deliver; the request never waits on a
 * partner.
 */
const createEvents = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * An event for every subscription that wants it: one `webhook.fanout` job (one row, whatever the
   * number of subscriptions), which a worker turns into the deliveries. None when no subscription
   * wants this type.
   */
  async emit<T extends WebhookEventType>(type: T, data: WebhookPayload<T>) {
    return strapi.db.transaction(async () => {
      if ((await subscribersOf(await knexFor(strapi), type)).length === 0) return { messageId: null };
      const message = webhookMessage(type, data);
      await strapi.plugin('ops').service('jobs').enqueue('webhook.fanout', message, { key: fanoutJobKey(message.messageId) });
      return { messageId: message.messageId };
    });
  },

  /** The admin's "Send test event": its one delivery is written now, so the log shows it at once. */
  async sendTest(subscriptionId: number, data: WebhookPayload<'webhook.test'>) {
    return strapi.db.transaction(async () => {
      const knex = await knexFor(strapi);
      const message = webhookMessage('webhook.test', data);
      const deliveries = await writeDeliveries(knex, message, await subscribersOf(knex, 'webhook.test', subscriptionId), (...args) => strapi.plugin('ops').service('jobs').enqueueMany(...args));
      return { messageId: message.messageId, deliveries };
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
