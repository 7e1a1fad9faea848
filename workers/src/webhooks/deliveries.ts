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
  // The delivery with its subscription, in one query.
  const row = await knex(`${DELIVERIES_TABLE} as d`)
    .join(`${SUBSCRIPTIONS_TABLE} as s`, 's.id', 'd.subscription_id')
    .where('d.id', deliveryId)
    .first(
      'd.id', 'd.message_id', 'd.body', 'd.state', 'd.step', 'd.round',
      's.id as subscription_id', 's.document_id as subscription_document_id', 's.url', 's.active',
      's.secret_encrypted', 's.previous_secret_encrypted', 's.previous_secret_expires_at', 's.failing_since'
    );
  if (!row) return null;
  const secrets = [unseal(row.secret_encrypted)];
  if (row.previous_secret_encrypted && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > now) {
    secrets.push(unseal(row.previous_secret_encrypted));
  }
  return {
    id: Number(row.id),
    messageId: row.message_id,
    body: row.body,
    state: row.state,
    step: Number(row.step),
    round: Number(row.round),
    subscription: {
      id: Number(row.subscription_id),
      documentId: row.subscription_document_id,
      url: row.url,
      active: Boolean(row.active),
      secrets,
      failingSince: row.failing_since ? new Date(row.failing_since) : null,
    },
  };
}

export type Recorded = { state: DeliveryState; nextAttemptAt: Date | null; disabled: string | null };

/**
 * Records one attempt in the delivery's log and decides what follows: a success in one statement;
 * otherwise, in one transaction, the next attempt as a job due after the schedule's wait (or the
 * receiver's Retry-After, if longer), or failure for good after the last one. A 410 disables the
 * subscription at once; so does failing without a single success for `disableAfterMs` (then its
 * owner is told, by the `webhook.notify` job).
 */
export async function recordAttempt(
  knex: Knex,
  postgres: boolean,
  delivery: DeliveryToSend,
  result: AttemptResult,
  settings: WebhookSettings,
  now = new Date()
): Promise<Recorded> {
  const entry: AttemptLogEntry = { at: now.toISOString(), outcome: result.outcome, status: result.status, durationMs: result.durationMs, response: result.response };
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
  // The entry is appended by the database (no read, no lock): two attempts at once both get logged.
  const logged = (db: Knex) => ({
    attempt_log: postgres
      ? db.raw(`COALESCE(attempt_log, '[]'::jsonb) || ?::jsonb`, [JSON.stringify([entry])])
      : db.raw(`json_insert(COALESCE(attempt_log, '[]'), '$[#]', json(?))`, [JSON.stringify(entry)]),
    attempts: db.raw('attempts + 1'),
    state,
    step: retry ? delivery.step + 1 : delivery.step,
    last_status: result.status,
    last_outcome: result.outcome,
    last_attempt_at: now,
    next_attempt_at: nextAttemptAt,
    updated_at: now,
  });
  const subscriptions = (db: Knex) => db(SUBSCRIPTIONS_TABLE).where({ id: delivery.subscription.id });

  // A success, by far the most common answer, is one statement; when the subscription was failing,
  // saying it no longer is goes in the same transaction (a worker killed between the two would leave
  // it failing since before this success).
  if (succeeded && !delivery.subscription.failingSince) {
    await knex(DELIVERIES_TABLE).where({ id: delivery.id }).update(logged(knex));
    return { state, nextAttemptAt, disabled };
  }
  if (succeeded) {
    await knex.transaction(async (trx) => {
      await trx(DELIVERIES_TABLE).where({ id: delivery.id }).update(logged(trx));
      await subscriptions(trx).whereNotNull('failing_since').update({ failing_since: null, updated_at: now });
    });
    return { state, nextAttemptAt, disabled };
  }

  return knex.transaction(async (trx) => {
    await trx(DELIVERIES_TABLE).where({ id: delivery.id }).update(logged(trx));
    const store = createJobStore({ knex: async () => trx, postgres });
    if (nextAttemptAt) {
      await store.insert([{ name: 'webhook.deliver', payload: { deliveryId: delivery.id }, key: deliverJobKey(delivery.id, delivery.round, delivery.step + 1), dueAt: nextAttemptAt }], now);
    }
    if (!delivery.subscription.failingSince) await subscriptions(trx).whereNull('failing_since').update({ failing_since: now, updated_at: now });
    if (disabled) {
      const changed = await subscriptions(trx).where({ active: true }).update({ active: false, disabled_reason: disabled, disabled_at: now, updated_at: now });
      // The owner hears of it once, by email through the outbox (a job that needs the app's services).
      if (changed && result.outcome !== 'gone') {
        await store.insert([{ name: 'webhook.notify', payload: { subscriptionId: delivery.subscription.id }, key: `webhook.notify:${delivery.subscription.id}:${now.getTime()}`, dueAt: new Date(now.getTime() + 1) }], now);
      }
      if (!changed) disabled = null;
    }
    return { state, nextAttemptAt, disabled };
  });
}
