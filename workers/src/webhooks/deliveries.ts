import type { Knex } from '../durable/strapi-db';
import { createJobStore } from '../durable/store';
import type { AttemptResult } from './deliver';
import { DELIVERIES_TABLE, SUBSCRIPTIONS_TABLE } from './event-types';
import { unseal } from './sealing';
import type { WebhookSettings } from './settings';

export type DeliveryState = 'pending' | 'succeeded' | 'failed';

/** One entry of a delivery's log: one attempt. */
export type AttemptLogEntry = { at: string; outcome: AttemptResult['outcome']; status: number | null; durationMs: number; response: string };

/** The key of the job that makes attempt `step` of a delivery (the `round`th time it was sent by hand). */
export const deliverJobKey = (deliveryId: number, round: number, step: number) => `webhook.deliver:${deliveryId}:${round}:${step}`;

const parseJson = <T>(value: unknown, fallback: T): T => (typeof value === 'string' ? JSON.parse(value) : ((value as T) ?? fallback));

export type DeliveryToSend = {
  id: number;
  messageId: string;
  body: string;
  state: DeliveryState;
  step: number;
  round: number;
  subscription: { id: number; documentId: string; url: string; active: boolean; secrets: string[]; failingSince: Date | null };
};

/** A delivery and its subscription, with the secrets that sign it now (the previous one too during a rotation). */
export async function loadDelivery(knex: Knex, deliveryId: number, now = new Date()): Promise<DeliveryToSend | null> {
  const row = await knex(DELIVERIES_TABLE).where({ id: deliveryId }).first();
  if (!row) return null;
  const subscription = await knex(SUBSCRIPTIONS_TABLE).where({ id: row.subscription_id }).first();
  if (!subscription) return null;
  const secrets = [unseal(subscription.secret_encrypted)];
  if (subscription.previous_secret_encrypted && subscription.previous_secret_expires_at && new Date(subscription.previous_secret_expires_at) > now) {
    secrets.push(unseal(subscription.previous_secret_encrypted));
  }
  return {
    id: Number(row.id),
    messageId: row.message_id,
    body: row.body,
    state: row.state,
    step: Number(row.step),
    round: Number(row.round),
    subscription: {
      id: Number(subscription.id),
      documentId: subscription.document_id,
      url: subscription.url,
      active: Boolean(subscription.active),
      secrets,
      failingSince: subscription.failing_since ? new Date(subscription.failing_since) : null,
    },
  };
}

export type Recorded = { state: DeliveryState; nextAttemptAt: Date | null; disabled: string | null };

/**
 * Records one attempt in the delivery's log and decides what follows, in one transaction: success;
 * the next attempt as a job due after the schedule's wait (or the receiver's Retry-After, if longer);
 * failure for good after the last one. A 410 disables the subscription at once; so does failing
 * without a single success for `disableAfterMs` (then its owner is told, by the `webhook.notify` job).
 */
export async function recordAttempt(
  knex: Knex,
  postgres: boolean,
  delivery: DeliveryToSend,
  result: AttemptResult,
  settings: WebhookSettings,
  now = new Date()
): Promise<Recorded> {
  return knex.transaction(async (trx) => {
    const row = await trx(DELIVERIES_TABLE).where({ id: delivery.id }).forUpdate().first();
    const log = parseJson<AttemptLogEntry[]>(row.attempt_log, []);
    log.push({ at: now.toISOString(), outcome: result.outcome, status: result.status, durationMs: result.durationMs, response: result.response });
    const succeeded = result.outcome === 'succeeded';
    let disabled: string | null = null;
    if (result.outcome === 'gone') disabled = 'The endpoint answered 410 Gone';
    else if (!succeeded && delivery.subscription.failingSince && now.getTime() - delivery.subscription.failingSince.getTime() >= settings.disableAfterMs) {
      disabled = `Every delivery failed for ${Math.round(settings.disableAfterMs / 3_600_000)} hours`;
    }
    const wait = settings.retryScheduleMs[delivery.step];
    const retry = !succeeded && !disabled && wait !== undefined;
    const nextAttemptAt = retry ? new Date(now.getTime() + Math.max(wait, result.retryAfterMs ?? 0, 1)) : null;
    const state: DeliveryState = succeeded ? 'succeeded' : retry ? 'pending' : 'failed';
    await trx(DELIVERIES_TABLE)
      .where({ id: delivery.id })
      .update({
        attempt_log: JSON.stringify(log),
        attempts: Number(row.attempts) + 1,
        state,
        step: retry ? delivery.step + 1 : delivery.step,
        last_status: result.status,
        last_outcome: result.outcome,
        last_attempt_at: now,
        next_attempt_at: nextAttemptAt,
        updated_at: now,
      });
    const store = createJobStore({ knex: async () => trx, postgres });
    if (nextAttemptAt) {
      await store.insert([{ name: 'webhook.deliver', payload: { deliveryId: delivery.id }, key: deliverJobKey(delivery.id, delivery.round, delivery.step + 1), dueAt: nextAttemptAt }], now);
    }
    const subscriptions = () => trx(SUBSCRIPTIONS_TABLE).where({ id: delivery.subscription.id });
    if (succeeded) await subscriptions().whereNotNull('failing_since').update({ failing_since: null, updated_at: now });
    else if (!delivery.subscription.failingSince) await subscriptions().whereNull('failing_since').update({ failing_since: now, updated_at: now });
    if (disabled) {
      const changed = await subscriptions().where({ active: true }).update({ active: false, disabled_reason: disabled, disabled_at: now, updated_at: now });
      // The owner hears of it once, by email through the outbox (a job that needs the app's services).
      if (changed && result.outcome !== 'gone') {
        await store.insert([{ name: 'webhook.notify', payload: { subscriptionId: delivery.subscription.id }, key: `webhook.notify:${delivery.subscription.id}:${now.getTime()}`, dueAt: new Date(now.getTime() + 1) }], now);
      }
      if (!changed) disabled = null;
    }
    return { state, nextAttemptAt, disabled };
  });
}
