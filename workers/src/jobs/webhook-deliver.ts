import { PermanentJobError, RetryLaterError } from '../errors';
import { createDeliverer, type Deliverer } from '../webhooks/deliver';
import { loadDelivery, recordAttempt } from '../webhooks/deliveries';
import { DELIVERIES_TABLE } from '../webhooks/event-types';
import { webhookSettings } from '../webhooks/settings';
import { signedHeaders } from '../webhooks/signing';
import type { JobHandler } from './types';

let deliverer: Deliverer | undefined;
/** Attempts under way per subscription in this process: the pacing that keeps a slow partner to its share. */
const inFlight = new Map<number, number>();

/**
 * One attempt at one delivery (an event for one subscription), read from its row: signed with the
 * subscription's secret (and the previous one during a rotation), posted once, logged. The row, not
 * this job, decides what follows: the next attempt is a job of its own due on the retry schedule, so a
 * worker that dies mid-attempt leaves this job to be run again, with the same webhook-id.
 */
export const deliverWebhook: JobHandler<'webhook.deliver'> = async ({ deliveryId }, { app, logger }) => {
  const settings = webhookSettings();
  const knex = await app.knex();
  const delivery = await loadDelivery(knex, deliveryId);
  if (!delivery) throw new PermanentJobError(`Webhook delivery ${deliveryId} does not exist`);
  if (delivery.state !== 'pending') return { deliveryId, state: delivery.state, again: true };
  if (!delivery.subscription.active) {
    await knex(DELIVERIES_TABLE).where({ id: deliveryId, state: 'pending' }).update({ state: 'failed', last_outcome: 'disabled', next_attempt_at: null, updated_at: new Date() });
    return { deliveryId, state: 'failed', reason: 'the subscription is disabled' };
  }
  const busy = inFlight.get(delivery.subscription.id) ?? 0;
  // Handed back unspent, due again in a second or two (spread, so a backlog does not return all at once).
  if (busy >= settings.perEndpoint) throw new RetryLaterError(`subscription ${delivery.subscription.id} has ${busy} deliveries under way here`, 1_000 + Math.floor(Math.random() * 1_000));
  inFlight.set(delivery.subscription.id, busy + 1);
  try {
    deliverer ??= createDeliverer();
    const result = await deliverer.post(delivery.subscription.url, signedHeaders(delivery.subscription.secrets, delivery.messageId, delivery.body), delivery.body, settings);
    const recorded = await recordAttempt(knex, app.postgres, delivery, result, settings);
    if (recorded.disabled) {
      logger.warn(`webhook subscription ${delivery.subscription.id} disabled: ${recorded.disabled}`);
      await app.audit('webhook.deliver')?.record({ action: 'webhook.disable', subject: 'plugin::webhooks.subscription', id: delivery.subscription.documentId, details: { reason: recorded.disabled } });
    }
    return { deliveryId, messageId: delivery.messageId, outcome: result.outcome, status: result.status, state: recorded.state, nextAttemptAt: recorded.nextAttemptAt?.toISOString() ?? null };
  } finally {
    const left = (inFlight.get(delivery.subscription.id) ?? 1) - 1;
    if (left > 0) inFlight.set(delivery.subscription.id, left);
    else inFlight.delete(delivery.subscription.id);
  }
};
