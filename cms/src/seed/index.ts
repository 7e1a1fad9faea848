import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { describeNewAdmin, generateAdminPassword, keepAdminCredentials, type NewAdmin } from '../lib/admin-credentials';
import { encryptPII, lookupHash, maskIdentifier } from '../lib/pii';
import { artists, events, posts, type DemoEvent } from './demo';
import { ensureDemoPictures } from './images';

type Locale = 'en' | 'es';
const LOCALES: Locale[] = ['en', 'es'];
/** The demo's first admin. */
export const ADMIN_EMAIL = 'admin@ovation.local';

const paragraphs = (texts: string[]) =>
  texts.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] }));

/** What the seed did, so a caller can tell a first run from a no-op. */
export type SeedReport = { created: string[]; admin?: NewAdmin };

export async function isDatabaseEmpty(strapi: Core.Strapi) {
  return (await strapi.db.query('api::event.event').count()) === 0;
}

/**
 * Loads the demo. Idempotent: whatever exists (found by slug, or by event and number/code) is left
 * exactly as it is, so a second run writes nothing.
 */
export async function seedDemo(strapi: Core.Strapi): Promise<SeedReport> {
  const report: SeedReport = { created: [] };
  const documentIds = new Map<string, string>();

  // Creates a document in English and its Spanish localization, both published, unless it exists.
  const ensureLocalized = async (
    uid: 'api::artist.artist' | 'api::event.event' | 'api::post.post',
    slug: string,
    dataFor: (locale: Locale) => Record<string, unknown>
  ) => {
    const found = await strapi.db.query(uid).findOne({ where: { slug }, select: ['documentId'] });
    if (found) return found.documentId as string;
    const created = await strapi.documents(uid).create({ locale: 'en', data: dataFor('en') as never, status: 'published' });
    await strapi.documents(uid).update({
      documentId: created.documentId,
      locale: 'es',
      data: dataFor('es') as never,
      status: 'published',
    });
    report.created.push(`${uid.split('.').pop()} ${slug}`);
    return created.documentId;
  };

  for (const artist of artists) {
    const id = await ensureLocalized('api::artist.artist', artist.slug, (locale) => ({
      name: artist.name,
      slug: artist.slug,
      genre: artist.genre[locale],
      bio: artist.bio[locale],
      links: artist.links,
      claim_status: 'unclaimed',
    }));
    documentIds.set(`artist:${artist.slug}`, id);
  }

  for (const event of events) {
    const start = Date.now() + event.startsIn;
    const id = await ensureLocalized('api::event.event', event.slug, (locale) => ({
      title: event.title[locale],
      slug: event.slug,
      description: event.description[locale],
      venue: event.venue,
      city: event.city,
      timezone: event.timezone,
      phase: event.phase,
      keyword: event.keyword,
      capacity: event.capacity,
      results_visibility: event.results_visibility,
      privacy_mode: 'standard',
      starts_at: new Date(start),
      ends_at: new Date(start + event.hours * 3_600_000),
    }));
    documentIds.set(`event:${event.slug}`, id);
    await ensureRoundsAndLineup(strapi, event, id, documentIds, report);
    if (event.results) await ensureResults(strapi, event, id, report);
  }

  for (const post of posts) {
    await ensureLocalized('api::post.post', post.slug, (locale) => ({
      title: post.title[locale],
      slug: post.slug,
      excerpt: post.excerpt[locale],
      body: paragraphs(post.paragraphs[locale]),
      event: documentIds.get(`event:${post.event}`),
      artists: post.artists.map((slug) => documentIds.get(`artist:${slug}`)),
    }));
  }

  // Pictures drawn by the project itself (./artwork.ts): a fresh clone looks like a real event offline.
  await ensureDemoPictures(
    strapi,
    {
      artists: artists.map((a) => ({ slug: a.slug, name: a.name, genre: a.genre.en, documentId: documentIds.get(`artist:${a.slug}`)! })),
      events: events.map((e) => ({ slug: e.slug, title: e.title.en, documentId: documentIds.get(`event:${e.slug}`)! })),
    },
    report.created
  );

  report.admin = await ensureAdmin(strapi);
  if (await queueWelcome(strapi)) report.created.push('welcome SMS');
  return report;
}

async function ensureRoundsAndLineup(
  strapi: Core.Strapi,
  event: DemoEvent,
  eventId: string,
  documentIds: Map<string, string>,
  report: SeedReport
) {
  for (const round of event.rounds) {
    const exists = await strapi.db.query('api::round.round').findOne({ where: { event_ref: eventId, number: round.number } });
    if (exists) continue;
    await strapi.documents('api::round.round').create({
      data: {
        event: eventId,
        number: round.number,
        title: round.title.en,
        title_es: round.title.es,
        state: round.state,
        opens_at: new Date(Date.now() + round.opensIn),
        closes_at: new Date(Date.now() + round.closesIn),
      } as never,
    });
    report.created.push(`round ${event.slug}#${round.number}`);
  }

  for (const [index, slug] of event.lineup.entries()) {
    const voteCode = String(index + 1);
    const exists = await strapi.db
      .query('api::lineup-entry.lineup-entry')
      .findOne({ where: { event_ref: eventId, vote_code: voteCode } });
    if (exists) continue;
    await strapi.documents('api::lineup-entry.lineup-entry').create({
      data: { event: eventId, artist: documentIds.get(`artist:${slug}`), vote_code: voteCode, order: index } as never,
    });
    report.created.push(`lineup ${event.slug}#${voteCode}`);
  }
}

/**
 * The votes of a past event's first round, so its recap has results: fans with fictional numbers
 * (555-01xx) and their votes, written only when the round has none.
 */
async function ensureResults(strapi: Core.Strapi, event: DemoEvent, eventId: string, report: SeedReport) {
  const knex = strapi.db.connection;
  if (!strapi.plugin('sms-voting') || !event.results) return;
  const round = await knex('rounds').where({ event_ref: eventId, number: 1 }).first('document_id');
  if (!round || (await knex('sms_voting_votes').where({ round_ref: round.document_id }).first('id'))) return;

  const entries = await knex('lineup_entries').where({ event_ref: eventId }).select('document_id', 'vote_code', 'artist_ref');
  const artistIds = new Map(event.lineup.map((slug) => [slug, ''] as [string, string]));
  for (const row of await knex('artists').whereIn('slug', event.lineup).select('slug', 'document_id')) artistIds.set(row.slug, row.document_id);

  const now = new Date();
  const stamps = (documentId: string) => ({ document_id: documentId, created_at: now, updated_at: now, published_at: now });
  const newId = () => crypto.randomBytes(12).toString('hex');
  let fan = 0;
  const fans: Record<string, unknown>[] = [];
  const votes: Record<string, unknown>[] = [];
  for (const [slug, count] of Object.entries(event.results)) {
    const entry = entries.find((e: { artist_ref: string }) => e.artist_ref === artistIds.get(slug));
    if (!entry) continue;
    for (let i = 0; i < count; i += 1, fan += 1) {
      const phone = `+1512555${String(100 + fan).padStart(4, '0')}`;
      const fanId = newId();
      fans.push({ ...stamps(fanId), phone_encrypted: encryptPII(phone), phone_hash: lookupHash(phone), phone_masked: maskIdentifier(phone), language: 'en', first_seen: now });
      votes.push({ ...stamps(newId()), round_ref: round.document_id, event_ref: eventId, fan_ref: fanId, entry_ref: entry.document_id, vote_code: entry.vote_code, channel: 'sms' });
    }
  }
  await strapi.db.transaction(async ({ trx }) => {
    await trx.batchInsert('fans', fans as never[], 50);
    await trx.batchInsert('sms_voting_votes', votes as never[], 50);
  });
  report.created.push(`results ${event.slug}#1 (${votes.length} votes)`);
}

/** The first admin, with a generated password: printed once and, in development, kept in cms/.admin-credentials. */
async function ensureAdmin(strapi: Core.Strapi): Promise<NewAdmin | undefined> {
  if ((await strapi.db.query('admin::user').count()) > 0) return undefined;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  const password = generateAdminPassword();
  await strapi.service('admin::user').create({
    email: ADMIN_EMAIL,
    firstname: 'Ovation',
    lastname: 'Admin',
    password,
    isActive: true,
    roles: superAdmin ? [superAdmin.id] : [],
  });
  return keepAdminCredentials({ email: ADMIN_EMAIL, password });
}

/** A sandbox SMS for the workers to deliver, so a fresh install shows one in the admin's Outbound messages. */
async function queueWelcome(strapi: Core.Strapi) {
  const { queued } = await strapi.service('api::message.message').queue([
    {
      channel: 'sms',
      to: '+12025550100',
      body: 'Welcome to Ovation! Text DEMO to +1 202 555 0100 to join the Summer Showcase.',
      purpose: 'demo',
      idempotencyKey: 'seed:welcome-sms',
    },
  ]);
  return queued > 0;
}

export function printSeedReport(report: SeedReport, log: (line: string) => void) {
  log(report.created.length ? `Seeded: ${report.created.join(', ')}` : 'Demo already present: nothing changed.');
  if (report.admin) describeNewAdmin(report.admin, 'Admin user created:').forEach((line) => log(line));
}
