import type { Core, Modules } from '@strapi/strapi';
import type { WebhookEventType, WebhookPayload } from '@ovation/workers/webhooks';
import { getService } from './utils/get-service';

type Context = Modules.Documents.Middleware.Context;
type Entry = Record<string, unknown> & { documentId?: string; locale?: string | null };

/** What a partner learns of each public type: its public identity, never anything editors keep private. */
const PUBLIC_FIELDS: Record<string, string[]> = {
  'api::event.event': ['documentId', 'locale', 'slug', 'title', 'starts_at', 'ends_at', 'phase'],
  'api::artist.artist': ['documentId', 'locale', 'slug', 'name'],
  'api::post.post': ['documentId', 'locale', 'slug', 'title'],
};

// The fields match the event types' payloads (WEBHOOK_PAYLOADS), which the OpenAPI document publishes.
const pick = (uid: string, entry: Entry) => Object.fromEntries(PUBLIC_FIELDS[uid].filter((field) => entry[field] !== undefined).map((field) => [field, entry[field]]));

/** Which event a publish or unpublish is: a first publish and a change to what was public differ for events. */
function eventTypeOf(uid: string, action: string, alreadyPublic: boolean): WebhookEventType | null {
  if (uid === 'api::event.event') {
    if (action === 'unpublish') return 'event.unpublished';
    return alreadyPublic ? 'event.updated' : 'event.published';
  }
  if (action !== 'publish') return null;
  if (uid === 'api::artist.artist') return 'artist.updated';
  if (uid === 'api::post.post') return 'post.published';
  return null;
}

/**
 * Publishing, re-publishing or unpublishing an event, artist or post emits its webhook event inside
 * the write's own transaction (the middleware opens it; Strapi's repository joins it): the event's
 * deliveries and jobs commit with the change, and a change that rolls back, here or in a caller's
 * transaction around it, leaves none.
 */
export function emitDocumentEvents(strapi: Core.Strapi) {
  const middleware: Modules.Documents.Middleware.Middleware = async (ctx: Context, next) => {
    const { documentId, status } = ctx.params as { documentId?: string; status?: string };
    // A document created straight as published (`status: 'published'`) is a first publish too.
    const createsPublished = ctx.action === 'create' && status === 'published';
    if (!(ctx.uid in PUBLIC_FIELDS) || (ctx.action !== 'publish' && ctx.action !== 'unpublish' && !createsPublished)) return next();
    return strapi.db.transaction(async () => {
      const before = documentId
        ? ((await strapi.db.query(ctx.uid).findMany({ where: { documentId, publishedAt: { $notNull: true } }, select: ['locale'] })) as Entry[])
        : [];
      const publicLocales = new Set(before.map((entry) => entry.locale ?? null));
      const result = (await next()) as (Entry & { entries?: Entry[] }) | null;
      const entries = createsPublished ? (result ? [result] : []) : (result?.entries ?? []);
      for (const entry of entries) {
        const type = eventTypeOf(ctx.uid, createsPublished ? 'publish' : ctx.action, publicLocales.has(entry.locale ?? null));
        if (type) await getService(strapi, 'events').emit(type, pick(ctx.uid, entry) as WebhookPayload<typeof type>);
      }
      return result as Awaited<ReturnType<typeof next>>;
    });
  };
  strapi.documents.use(middleware);
}
