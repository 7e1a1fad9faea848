/**
 * Content the browser tests create for themselves, so they never change the shared demo that other
 * test files rely on (closing the demo's round would break them).
 */
import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';

export interface TestEvent {
  documentId: string;
  slug: string;
  keyword: string;
  title: { en: string; es: string };
  roundDocumentId: string;
  /** Artist names by vote code. */
  lineup: Record<string, string>;
}

const artistIds = async (app: Core.Strapi, slugs: string[]) => {
  const rows = await app.db.query('api::artist.artist').findMany({ where: { slug: { $in: slugs } }, select: ['documentId', 'slug', 'name'] });
  return slugs.map((slug) => {
    const row = rows.find((r: { slug: string }) => r.slug === slug);
    if (!row) throw new Error(`artist ${slug} is not seeded`);
    return row as { documentId: string; name: string };
  });
};

/** A live event with one open round and public results, in English and Spanish, joined by its own keyword. */
export async function createLiveEvent(app: Core.Strapi, artists: string[]): Promise<TestEvent> {
  const suffix = crypto.randomBytes(3).toString('hex');
  const slug = `site-test-${suffix}`;
  const keyword = `SITE${suffix.toUpperCase()}`;
  const title = { en: `Site Test Night ${suffix}`, es: `Noche de Prueba ${suffix}` };
  const description = { en: 'A night made by the site tests.', es: 'Una noche creada por las pruebas del sitio.' };
  const now = Date.now();
  const data = (locale: 'en' | 'es') => ({
    title: title[locale],
    description: description[locale],
    slug,
    keyword,
    venue: 'Test Hall',
    city: 'Austin',
    timezone: 'America/Chicago',
    phase: 'live',
    capacity: 1000,
    results_visibility: 'public',
    privacy_mode: 'standard',
    starts_at: new Date(now - 3_600_000),
    ends_at: new Date(now + 3_600_000),
  });
  const events = app.documents('api::event.event');
  const event = await events.create({ locale: 'en', data: data('en') as never, status: 'published' });
  await events.update({ documentId: event.documentId, locale: 'es', data: data('es') as never, status: 'published' });

  const round = await app.documents('api::round.round').create({
    data: {
      event: event.documentId,
      number: 1,
      title: 'Test round',
      state: 'open',
      opens_at: new Date(now - 60_000),
      closes_at: new Date(now + 3_600_000),
    } as never,
  });

  const lineup: Record<string, string> = {};
  for (const [index, artist] of (await artistIds(app, artists)).entries()) {
    const code = String(index + 1);
    await app.documents('api::lineup-entry.lineup-entry').create({
      data: { event: event.documentId, artist: artist.documentId, vote_code: code, order: index } as never,
    });
    lineup[code] = artist.name;
  }
  return { documentId: event.documentId, slug, keyword, title, roundDocumentId: round.documentId, lineup };
}

/** Closes a round the way an editor does, through the sms-voting plugin. */
export async function closeRound(app: Core.Strapi, roundDocumentId: string) {
  const rounds = app.plugin('sms-voting').service('rounds') as { close(roundRef: string): Promise<unknown> };
  await rounds.close(roundDocumentId);
}

/** A hostile post body, as the CMS could hold it if its write-time sanitiser were ever bypassed. */
export const HOSTILE_BODY = [
  { type: 'paragraph', children: [{ type: 'text', text: '<script>window.__pwned = "script"</script>' }] },
  { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror="window.__pwned = \'onerror\'">', bold: true }] },
  {
    type: 'paragraph',
    children: [{ type: 'link', url: 'javascript:window.__pwned="link"', children: [{ type: 'text', text: 'Click me' }] }],
  },
  { type: 'heading', level: 1, children: [{ type: 'text', text: '"><svg onload="window.__pwned=\'svg\'">' }] },
  { type: 'image', image: { url: 'javascript:window.__pwned="img"', alternativeText: 'x" onerror="window.__pwned=1' }, children: [] },
  { type: 'html', value: '<script>window.__pwned="html node"</script>', children: [] },
  { type: 'paragraph', children: [{ type: 'link', url: 'https://example.com/safe', children: [{ type: 'text', text: 'A safe link' }] }] },
];

/**
 * A published post with `HOSTILE_BODY` written straight to the database, past the CMS's sanitiser:
 * what the site must render inert on its own.
 */
export async function createHostilePost(app: Core.Strapi, eventDocumentId: string): Promise<string> {
  const slug = `site-test-hostile-${crypto.randomBytes(3).toString('hex')}`;
  const posts = app.documents('api::post.post');
  const post = await posts.create({
    locale: 'en',
    data: { title: 'A post with payloads', slug, excerpt: 'Nothing here should run.', body: [], event: eventDocumentId } as never,
    status: 'published',
  });
  await app.db.query('api::post.post').updateMany({ where: { documentId: post.documentId }, data: { body: HOSTILE_BODY } });
  return slug;
}

export interface EnglishOnlyContent {
  event: { slug: string; title: string; description: string };
  artist: { slug: string; name: string; genre: string; bio: string };
  post: { slug: string; title: string };
}

/** An upcoming event, its artist and a post about them, written in English only (not yet translated). */
export async function createEnglishOnlyContent(app: Core.Strapi): Promise<EnglishOnlyContent> {
  const suffix = crypto.randomBytes(3).toString('hex');
  const artist = { slug: `site-solo-artist-${suffix}`, name: `Solo Artist ${suffix}`, genre: 'Bluegrass', bio: 'A fiddler who has no Spanish page yet.' };
  const event = { slug: `site-solo-${suffix}`, title: `English Only Night ${suffix}`, description: 'Announced in English first.' };
  const post = { slug: `site-solo-post-${suffix}`, title: `Announcing English Only Night ${suffix}` };
  const starts = Date.now() + 7 * 24 * 3_600_000;

  const { documentId: artistId } = await app
    .documents('api::artist.artist')
    .create({ locale: 'en', status: 'published', data: { ...artist, claim_status: 'unclaimed' } as never });
  const { documentId: eventId } = await app.documents('api::event.event').create({
    locale: 'en',
    status: 'published',
    data: {
      ...event,
      keyword: `SOLO${suffix.toUpperCase()}`,
      venue: 'Test Hall',
      city: 'Austin',
      timezone: 'America/Chicago',
      phase: 'scheduled',
      results_visibility: 'public',
      starts_at: new Date(starts),
      ends_at: new Date(starts + 3_600_000),
    } as never,
  });
  await app.documents('api::round.round').create({ data: { event: eventId, number: 1, title: 'Only round', state: 'pending' } as never });
  await app.documents('api::lineup-entry.lineup-entry').create({ data: { event: eventId, artist: artistId, vote_code: '1', order: 0 } as never });
  await app.documents('api::post.post').create({
    locale: 'en',
    status: 'published',
    data: { ...post, excerpt: 'Coming soon.', body: [], event: eventId, artists: [artistId] } as never,
  });
  return { event, artist, post };
}
