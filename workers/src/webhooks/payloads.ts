import { z } from 'zod/v4';
import type { WebhookEventType } from './event-types';

/**
 * What each webhook event carries in `data`: public identities only, never anything an editor keeps
 * private or anything personal. The cms emits these (typed by them) and the OpenAPI document's
 * `webhooks` section is generated from them, so partners read the same shapes the code sends.
 */
const documentRef = { documentId: z.string(), locale: z.string().nullable().optional() };
const slug = z.string().describe('The URL slug, as in /events/<slug> on the site');

const EventPayload = z
  .object({
    ...documentRef,
    slug,
    title: z.string(),
    starts_at: z.string().nullable().optional().describe('ISO 8601'),
    ends_at: z.string().nullable().optional().describe('ISO 8601'),
    phase: z.enum(['draft', 'scheduled', 'live', 'closed', 'archived']).optional(),
  })
  .meta({ id: 'WebhookEventData' });

const RoundPayload = z
  .object({
    documentId: z.string().describe("The round's documentId"),
    event: z.string().describe("The event's documentId"),
    number: z.number().int().positive(),
  })
  .meta({ id: 'WebhookRoundData' });

export const WEBHOOK_PAYLOADS = {
  'event.published': EventPayload,
  'event.updated': EventPayload,
  'event.unpublished': EventPayload,
  'round.opened': RoundPayload,
  'round.closed': RoundPayload,
  'results.published': z
    .object({
      event: z.string().describe("The event's documentId"),
      round: z.string().describe("The closed round's documentId"),
      number: z.number().int().positive(),
    })
    .meta({ id: 'WebhookResultsData', description: 'A round closed on an event whose results are public: read them from the leaderboard.' }),
  'artist.updated': z.object({ ...documentRef, slug, name: z.string() }).meta({ id: 'WebhookArtistData' }),
  'post.published': z.object({ ...documentRef, slug, title: z.string() }).meta({ id: 'WebhookPostData' }),
  'webhook.test': z
    .object({ subscription: z.string().describe("The subscription's documentId"), message: z.string() })
    .meta({ id: 'WebhookTestData', description: 'Sent by "Send test event" in the admin, to that one subscription.' }),
} satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookPayload<T extends WebhookEventType> = z.infer<(typeof WEBHOOK_PAYLOADS)[T]>;

/** Every delivery's body: the event type, when it happened, and its data. */
export type WebhookBody<T extends WebhookEventType = WebhookEventType> = { type: T; timestamp: string; data: WebhookPayload<T> };
