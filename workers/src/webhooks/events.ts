import crypto from 'crypto';
import type { JobName, JobPayloads } from '../catalogue';
import type { EnqueueOptions } from '../durable/producer';
import type { Knex } from '../durable/strapi-db';
import { deliverJobKey } from './deliveries';
import { DELIVERIES_TABLE, SUBSCRIPTIONS_TABLE, eventTypesOf, type WebhookEventType } from './event-types';
import type { WebhookBody, WebhookPayload } from './payloads';
import { newMessageId } from './signing';

/**
 * One event as partners receive it: its id (the `webhook-id` of every attempt and redelivery) and its
 * body, fixed when the event happens, so every attempt sends and signs the same bytes.
 */
export type WebhookMessage = JobPayloads['webhook.fanout'];

export function webhookMessage<T extends WebhookEventType>(type: T, data: WebhookPayload<T>, now = new Date()): WebhookMessage {
  return { messageId: newMessageId(), type, body: JSON.stringify({ type, timestamp: now.toISOString(), data } satisfies WebhookBody<T>) };
}

/** The key of the job that turns an event into its deliveries. */
export const fanoutJobKey = (messageId: string) => `webhook.fanout:${messageId}`;

/** The active subscriptions that want `type`; with `subscriptionId`, that one alone (if active), whatever it wants: a test event. */
export async function subscribersOf(knex: Knex, type: WebhookEventType, subscriptionId?: number): Promise<number[]> {
  const query = knex(SUBSCRIPTIONS_TABLE).where({ active: true }).select('id', 'event_types');
  if (subscriptionId) query.where({ id: subscriptionId });
  const rows = (await query) as { id: number; event_types: unknown }[];
  return rows.filter((row) => subscriptionId || eventTypesOf(row.event_types).includes(type)).map((row) => Number(row.id));
}

type EnqueueDeliveries = (name: Extract<JobName, 'webhook.deliver'>, jobs: ({ payload: JobPayloads['webhook.deliver'] } & EnqueueOptions)[]) => Promise<unknown>;

/**
 * One delivery row per subscription and the job of its first attempt, with the caller's transaction.
 * A subscription that already has this message is skipped (the unique message/subscription index), so
 * a fan-out run again after a crash adds nothing. Returns the new deliveries' ids.
 */
export async function writeDeliveries(knex: Knex, message: WebhookMessage, subscriptionIds: number[], enqueueMany: EnqueueDeliveries): Promise<number[]> {
  if (subscriptionIds.length === 0) return [];
  const now = new Date();
  const rows = (await knex(DELIVERIES_TABLE)
    .insert(
      subscriptionIds.map((subscriptionId) => ({
        document_id: crypto.randomBytes(12).toString('hex'),
        message_id: message.messageId,
        subscription_id: subscriptionId,
        event_type: message.type,
        body: message.body,
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
    .onConflict(['message_id', 'subscription_id'])
    .ignore()
    .returning(['id'])) as { id: number }[];
  const deliveries = rows.map((row) => Number(row.id));
  await enqueueMany(
    'webhook.deliver',
    deliveries.map((deliveryId) => ({ payload: { deliveryId }, key: deliverJobKey(deliveryId, 0, 0) }))
  );
  return deliveries;
}
