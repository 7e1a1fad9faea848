/**
 * The site's content, read from the CMS's public REST API (published documents only).
 * One function per thing a page shows; each returns `null` when the CMS has no such document.
 */
import { defaultLocale, locales, type Locale } from '../i18n';
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
  /** `#rrggbb` as the editor chose it; pages use it through src/lib/accent.ts, adjusted for contrast. */
  accent_color?: string | null;
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
  /** The language of its text: the page's, else another where the artist has no localization in the page's. */
  locale?: string;
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
  locale?: string;
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

/**
 * The locales a page in `locale` reads a document in, in order: its own, then the default, then the
 * rest. A document not (yet) translated is shown with the text it has, never missing or a 404.
 */
export function readingOrder(locale: Locale): Locale[] {
  return [...new Set([locale, defaultLocale, ...locales])];
}

/** The first locale in the reading order that has the document. */
async function inReadingOrder<T>(locale: Locale, read: (locale: Locale) => Promise<T | undefined>): Promise<T | null> {
  for (const candidate of readingOrder(locale)) {
    const found = await read(candidate);
    if (found) return found;
  }
  return null;
}

/** Events read in every locale of the reading order, each document once, in the best locale it has. */
async function eventsInReadingOrder(locale: Locale, params: Record<string, QueryValue>, options: CmsClientOptions): Promise<CmsEvent[]> {
  const lists = await Promise.all(readingOrder(locale).map((candidate) => cmsGet<CmsEvent>('/api/events', { ...params, locale: candidate }, options)));
  const byDocument = new Map<string, CmsEvent>();
  for (const { data } of lists) for (const event of data) if (!byDocument.has(event.documentId)) byDocument.set(event.documentId, event);
  return [...byDocument.values()];
}

/** Live and upcoming (scheduled) events for a page in `locale`, live first then by start time. */
export async function listLiveAndUpcomingEvents(locale: Locale, options: CmsClientOptions = {}): Promise<CmsEvent[]> {
  const events = await eventsInReadingOrder(locale, { sort: 'starts_at:asc', 'pagination[pageSize]': 100, ...phaseFilter(ACTIVE_PHASES) }, options);
  // The filter is applied by the CMS; re-checking here keeps the page honest if it is ever ignored.
  return events.filter((e) => (ACTIVE_PHASES as readonly string[]).includes(e.phase)).sort(compareEvents);
}

/** Closed and archived events, most recent first: the home page's recaps. */
export async function listPastEvents(locale: Locale, limit = 12, options: CmsClientOptions = {}): Promise<CmsEvent[]> {
  const events = await eventsInReadingOrder(locale, { sort: 'starts_at:desc', 'pagination[pageSize]': limit, ...phaseFilter(PAST_PHASES) }, options);
  return events
    .filter((e) => (PAST_PHASES as readonly string[]).includes(e.phase))
    .sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at))
    .slice(0, limit);
}

const bySlug = (slug: string) => ({ 'filters[slug][$eq]': slug });

/**
 * One event with its rounds, lineup (with the artists' avatars), posts and hero image, in the page's
 * locale or the next one that has it. The CMS gives every language of an event its rounds (titles in
 * that language where translated) and its lineup (artists in that language where they have it).
 */
export async function getEvent(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsEventDetail | null> {
  const [event, posts] = await Promise.all([
    inReadingOrder(locale, async (candidate) => {
      const { data } = await cmsGet<CmsEventDetail>(
        '/api/events',
        {
          locale: candidate,
          ...bySlug(slug),
          'populate[hero_image]': true,
          'populate[rounds][sort]': 'number:asc',
          'populate[lineup][populate][artist][populate]': 'avatar',
        },
        options,
      );
      return data[0];
    }),
    cmsGet<CmsPost>(
      '/api/posts',
      {
        locale,
        'filters[event][slug][$eq]': slug,
        'pagination[pageSize]': 100,
        sort: 'publishedAt:desc',
        'fields[0]': 'title',
        'fields[1]': 'slug',
        'fields[2]': 'excerpt',
        'fields[3]': 'publishedAt',
      },
      options,
    ),
  ]);
  if (!event) return null;
  const lineup = (event.lineup ?? [])
    .filter((entry) => entry.artist)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.vote_code.localeCompare(b.vote_code, 'en', { numeric: true }));
  return { ...event, rounds: event.rounds ?? [], lineup, posts: posts.data };
}

export async function getArtist(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsArtist | null> {
  return inReadingOrder(locale, async (candidate) => {
    const { data } = await cmsGet<CmsArtist>(
      '/api/artists',
      { locale: candidate, ...bySlug(slug), 'populate[avatar]': true, 'populate[links]': true },
      options,
    );
    return data[0];
  });
}

export async function getPost(locale: Locale, slug: string, options: CmsClientOptions = {}): Promise<CmsPost | null> {
  return inReadingOrder(locale, async (candidate) => {
    const { data } = await cmsGet<CmsPost>(
      '/api/posts',
      { locale: candidate, ...bySlug(slug), 'populate[event]': true, 'populate[artists]': true, 'populate[cover]': true },
      options,
    );
    return data[0];
  });
}

/** The `lang` of an element holding a document's text on a page in `locale`: set only when they differ. */
export function textLang(document: { locale?: string } | null | undefined, locale: Locale): string | undefined {
  return document?.locale && document.locale !== locale ? document.locale : undefined;
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
