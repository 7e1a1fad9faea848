/**
 * The site's content, read from the CMS's public REST API (published documents only).
 * One function per thing a page shows; each returns `null` when the CMS has no such document.
 */
import type { Locale } from '../i18n';
import type { Block } from './blocks';
import { cmsGet, type CmsClientOptions, type QueryValue } from './cms';

export type EventPhase = 'draft' | 'scheduled' | 'live' | 'closed' | 'archived';
export type ResultsVisibility = 'public' | 'after_close' | 'private';
export type RoundState = 'pending' | 'open' | 'closed';

export interface CmsMedia {
  url: string;
  alternativeText: string | null;
  width?: number | null;
  height?: number | null;
}

/** An event as returned by `GET /api/events` (Strapi 5 flat format). */
export interface CmsEvent {
  id: number;
  documentId: string;
  locale?: string;
  title: string;
  slug: string;
  description: string | null;
  venue: string | null;
  city: string | null;
  /** ISO 8601 instant. */
  starts_at: string;
  ends_at: string | null;
  /** IANA time zone, e.g. `America/Los_Angeles`. */
  timezone: string;
  phase: EventPhase;
  keyword: string | null;
  capacity: number | null;
  results_visibility: ResultsVisibility;
  hero_image?: CmsMedia | null;
}

export interface CmsRound {
  id: number;
  documentId: string;
  number: number;
  title: string | null;
  opens_at: string | null;
  closes_at: string | null;
  state: RoundState;
}

export interface CmsArtistLink {
  platform: string;
  url: string;
}

export interface CmsArtist {
  id: number;
  documentId: string;
  name: string;
  slug: string;
  bio: string | null;
  genre: string | null;
  links?: CmsArtistLink[];
  avatar?: CmsMedia | null;
  claim_status?: 'unclaimed' | 'pending' | 'claimed';
}

export interface CmsLineupEntry {
  id: number;
  documentId: string;
  vote_code: string;
  order: number | null;
  artist: CmsArtist | null;
}

export interface CmsPost {
  id: number;
  documentId: string;
  title: string;
  slug: string;
  excerpt: string | null;
  body: Block[] | null;
  cover?: CmsMedia | null;
  publishedAt: string;
  event?: CmsEvent | null;
  artists?: CmsArtist[];
}

/** An event with everything its own page, its recap and its leaderboard show. */
export interface CmsEventDetail extends CmsEvent {
  rounds: CmsRound[];
  lineup: CmsLineupEntry[];
  posts: CmsPost[];
}

/** Phases shown publicly as "live or upcoming", in display order. */
export const ACTIVE_PHASES = ['live', 'scheduled'] as const satisfies readonly EventPhase[];
/** Phases whose events are listed as past, with a recap. */
export const PAST_PHASES = ['closed', 'archived'] as const satisfies readonly EventPhase[];

/** Live first, then by start time (earliest first). */
export function compareEvents(a: CmsEvent, b: CmsEvent): number {
  const rank = (e: CmsEvent) => (e.phase === 'live' ? 0 : 1);
  return rank(a) - rank(b) || Date.parse(a.starts_at) - Date.parse(b.starts_at);
}

function phaseFilter(phases: readonly EventPhase[]): Record<string, QueryValue> {
  return Object.fromEntries(phases.map((phase, i) => [`filters[phase][$in][${i}]`, phase]));
}

/** Live and upcoming (scheduled) events in the given locale, live first then by start time. */
export async function listLiveAndUpcomingEvents(locale: Locale, options: CmsClientOptions = {}): Promise<CmsEvent[]> {
  const { data } = await cmsGet<CmsEvent>(
    '/api/events',
    { locale, sort: 'starts_at:asc', 'pagination[pageSize]': 100, ...phaseFilter(ACTIVE_PHASES) },
    options,
  );
  // The filter is applied by the CMS; re-checking here keeps the page honest if it is ever ignored.
  return data.filter((e) => (ACTIVE_PHASES as readonly string[]).includes(e.phase)).sort(compareEvents);
}

/** Closed and archived events, most recent first: the home page's recaps. */
export async function listPastEvents(locale: Locale, limit = 12, options: CmsClientOptions = {}): Promise<CmsEvent[]> {
  const { data } = await cmsGet<CmsEvent>(
    '/api/events',
    { locale, sort: 'starts_at:desc', 'pagination[pageSize]': limit, ...phaseFilter(PAST_PHASES) },
    options,
  );
  return data.filter((e) => (PAST_PHASES as readonly string[]).includes(e.phase));
}

const bySlug = (slug: string) => ({ 'filters[slug][$eq]': slug });

/**
 * One event with its rounds, lineup (with the artists' avatars), posts and hero image.
 * Rounds and lineup entries are not localized, and Strapi links them to one locale's entry of the
 * event only, so they are read by the event's slug rather than populated from it (a Spanish event
 * would otherwise come back with no rounds and no lineup). Posts are read in the page's locale.
 */
export async function getEvent(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsEventDetail | null> {
  const ofEvent = { 'filters[event][slug][$eq]': slug, 'pagination[pageSize]': 100 };
  const [events, rounds, lineup, posts] = await Promise.all([
    cmsGet<CmsEvent>('/api/events', { locale, ...bySlug(slug), 'populate[hero_image]': true }, options),
    cmsGet<CmsRound>('/api/rounds', { ...ofEvent, sort: 'number:asc' }, options),
    cmsGet<CmsLineupEntry>(
      '/api/lineup-entries',
      { ...ofEvent, sort: 'order:asc', 'populate[artist][populate][avatar]': true },
      options,
    ),
    cmsGet<CmsPost>(
      '/api/posts',
      { locale, ...ofEvent, sort: 'publishedAt:desc', 'fields[0]': 'title', 'fields[1]': 'slug', 'fields[2]': 'excerpt', 'fields[3]': 'publishedAt' },
      options,
    ),
  ]);
  const event = events.data[0];
  if (!event) return null;
  const entries = lineup.data
    .filter((entry) => entry.artist)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.vote_code.localeCompare(b.vote_code, 'en', { numeric: true }));
  return { ...event, rounds: [...rounds.data].sort((a, b) => a.number - b.number), lineup: entries, posts: posts.data };
}

export async function getArtist(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsArtist | null> {
  const { data } = await cmsGet<CmsArtist>(
    '/api/artists',
    { locale, ...bySlug(slug), 'populate[avatar]': true, 'populate[links]': true },
    options,
  );
  return data[0] ?? null;
}

export async function getPost(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsPost | null> {
  const { data } = await cmsGet<CmsPost>(
    '/api/posts',
    { locale, ...bySlug(slug), 'populate[event]': true, 'populate[artists]': true, 'populate[cover]': true },
    options,
  );
  return data[0] ?? null;
}

/** Posts that feature an artist, newest first. */
export async function listPostsAboutArtist(locale: Locale, artistSlug: string, options: CmsClientOptions = {}): Promise<CmsPost[]> {
  const { data } = await cmsGet<CmsPost>(
    '/api/posts',
    {
      locale,
      'filters[artists][slug][$eq]': artistSlug,
      sort: 'publishedAt:desc',
      'pagination[pageSize]': 10,
      'fields[0]': 'title',
      'fields[1]': 'slug',
      'fields[2]': 'excerpt',
      'fields[3]': 'publishedAt',
    },
    options,
  );
  return data;
}

/** The round a page should feature: the open one, else the next pending one, else the last one. */
export function currentRound(rounds: CmsRound[]): CmsRound | undefined {
  return (
    rounds.find((r) => r.state === 'open') ??
    rounds.find((r) => r.state === 'pending') ??
    rounds[rounds.length - 1]
  );
}

/** Whether the event's results may be shown now (the CMS enforces the same rule on its leaderboard). */
export function resultsArePublic(event: Pick<CmsEvent, 'results_visibility' | 'phase'>): boolean {
  if (event.results_visibility === 'public') return true;
  if (event.results_visibility === 'after_close') return event.phase === 'closed' || event.phase === 'archived';
  return false;
}
