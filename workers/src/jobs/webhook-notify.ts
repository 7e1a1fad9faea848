import { PermanentJobError } from '../errors';
import { SUBSCRIPTIONS_TABLE } from '../webhooks/event-types';
import { unseal } from '../webhooks/sealing';
import type { JobHandler } from './types';

type Outbox = {
  queue(messages: { idempotencyKey: string; channel: 'email'; to: string; subject?: string; body: string; purpose: string }[]): Promise<{ queued: number }>;
};

/**
 * A subscription was disabled because its deliveries kept failing: its owner gets an email through
 * the outbox (`message.send`), keyed by the subscription and the time it was disabled, so a redelivered
 * job queues it once. The admin's Webhooks page shows the reason beside the subscription.
 */
export const notifyDisabledWebhook: JobHandler<'webhook.notify'> = async ({ subscriptionId }, { strapi }) => {
  const subscription = await strapi.db.connection(SUBSCRIPTIONS_TABLE).where({ id: subscriptionId }).first();
  if (!subscription) throw new PermanentJobError(`Webhook subscription ${subscriptionId} does not exist`);
  if (!subscription.owner_email_encrypted || !subscription.disabled_at) return { subscriptionId, notified: false };
  const outbox = strapi.service('api::message.message') as unknown as Outbox;
  const { queued } = await outbox.queue([
    {
      idempotencyKey: `webhook-disabled:${subscriptionId}:${new Date(subscription.disabled_at).getTime()}`,
      channel: 'email',
      to: unseal(subscription.owner_email_encrypted),
      subject: 'Ovation: your webhook subscription was disabled',
      body: `Deliveries to ${subscription.url} kept failing (${subscription.disabled_reason}), so the subscription was disabled. Fix the endpoint, then enable it again in Ovation's admin (Webhooks) and use "Retry all failed since" for what it missed.`,
      purpose: 'webhook-disabled',
    },
  ]);
  return { subscriptionId, notified: true, queued };
};
