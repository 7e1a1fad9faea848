import crypto from 'crypto';
import type { Core } from '@strapi/strapi';

type Created = { eventRef: string; roundRef: string; entries: { documentId: string; code: string }[]; slug: string };

/** A published event of its own (keyword, capacity, an open round, a lineup), so tests do not share standings. */
export async function createVotingEvent(
  strapi: Core.Strapi,
  { capacity = null, lineup = 3, resultsVisibility = 'public' }: { capacity?: number | null; lineup?: number; resultsVisibility?: string } = {}
): Promise<Created & { keyword: string }> {
  const suffix = crypto.randomBytes(3).toString('hex');
  const keyword = `T${suffix}`.toUpperCase();
  const slug = `test-event-${suffix}`;
  const event = await strapi.documents('api::event.event').create({
    locale: 'en',
    status: 'published',
    data: { title: `Test event ${suffix}`, slug, keyword, starts_at: new Date(), timezone: 'UTC', phase: 'live', capacity, results_visibility: resultsVisibility } as never,
  });
  const round = await strapi.documents('api::round.round').create({
    data: { event: event.documentId, number: 1, state: 'open', opens_at: new Date(Date.now() - 60_000), closes_at: new Date(Date.now() + 3_600_000) } as never,
  });
  const entries = [];
  for (let i = 1; i <= lineup; i += 1) {
    const artist = await strapi.documents('api::artist.artist').create({
      locale: 'en',
      status: 'published',
      data: { name: `Artist ${suffix}-${i}`, slug: `artist-${suffix}-${i}` } as never,
    });
    const entry = await strapi.documents('api::lineup-entry.lineup-entry').create({
      data: { event: event.documentId, artist: artist.documentId, vote_code: String(i), order: i } as never,
    });
    entries.push({ documentId: entry.documentId, code: String(i) });
  }
  strapi.plugin('sms-voting').service('directory').clear();
  return { eventRef: event.documentId, roundRef: round.documentId, entries, slug, keyword };
}

/** Fans inserted in bulk (the voting path only needs their rows), as a large audience would be. */
export async function createFans(strapi: Core.Strapi, count: number) {
  const now = new Date();
  const rows = Array.from({ length: count }, () => ({
    document_id: crypto.randomBytes(12).toString('hex').slice(0, 24),
    phone_hash: crypto.randomBytes(32).toString('hex'),
    phone_encrypted: 'v1.none',
    phone_masked: '+1***00',
    language: 'en',
    first_seen: now,
    created_at: now,
    updated_at: now,
    published_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200) await strapi.db.connection('fans').insert(rows.slice(i, i + 200));
  return rows.map((row) => row.document_id);
}
