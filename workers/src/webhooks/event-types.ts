/** What partners can subscribe to; every one is emitted by the cms in the transaction of its change. */
export const WEBHOOK_EVENT_TYPES = [
  'event.published',
  'event.updated',
  'event.unpublished',
  'round.opened',
  'round.closed',
  'results.published',
  'artist.updated',
  'post.published',
  'webhook.test',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** The event types a row holds (a JSON array of names); anything else reads as none, rather than breaking the page. */
export function eventTypesOf(value: unknown): WebhookEventType[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = null;
    }
  }
  return Array.isArray(parsed) ? (parsed.filter((name) => typeof name === 'string') as WebhookEventType[]) : [];
}

/** The tables of the webhooks plugin's content types (the plugin's schema.json files declare them for Strapi). */
export const SUBSCRIPTIONS_TABLE = 'webhooks_subscriptions';
export const DELIVERIES_TABLE = 'webhooks_deliveries';
