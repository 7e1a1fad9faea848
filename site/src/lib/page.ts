/**
 * What every page does around its data: load it, turn CMS failures into a friendly 503 and missing
 * documents into a 404, and say how long the answer may be cached.
 * Status and headers must be set in the page itself, before rendering starts streaming.
 */
import { CmsError, CmsResponseError } from './cms';

/**
 * Cache policies, by how fast what a page shows can change.
 * - content: recaps, artists, posts: edited rarely; a CDN may serve them for a minute and revalidate.
 * - listing: home and event pages show phases and open rounds, which change during a show.
 * - live: the leaderboard page, whose first paint must be current.
 * - personal: vote pages, which belong to one fan's link and must never be stored.
 */
export const CACHE_POLICIES = {
  content: 'public, max-age=0, s-maxage=60, stale-while-revalidate=300',
  listing: 'public, max-age=0, s-maxage=15, stale-while-revalidate=60',
  live: 'no-store',
  personal: 'private, no-store',
  missing: 'public, max-age=0, s-maxage=10',
  error: 'no-store',
} as const;

export type CachePolicy = keyof typeof CACHE_POLICIES;

/** The slice of the `Astro` global these helpers need. */
export interface PageContext {
  response: { status?: number; statusText?: string; headers: Headers };
}

export function setCache(page: PageContext, policy: CachePolicy) {
  page.response.headers.set('Cache-Control', CACHE_POLICIES[policy]);
}

export type Loaded<T> = { status: 'ok'; data: T } | { status: 'not-found' } | { status: 'unavailable' };

export function notFound(page: PageContext): Loaded<never> {
  page.response.status = 404;
  page.response.statusText = 'Not Found';
  setCache(page, 'missing');
  return { status: 'not-found' };
}

export function unavailable(page: PageContext): Loaded<never> {
  page.response.status = 503;
  page.response.statusText = 'Service Unavailable';
  page.response.headers.set('Retry-After', '30');
  setCache(page, 'error');
  return { status: 'unavailable' };
}

/** This fan asked the CMS for too much too fast (its per-fan budget): theirs alone to wait out. */
export function tooManyRequests(page: PageContext, retryAfter = '30'): Loaded<never> {
  page.response.status = 429;
  page.response.statusText = 'Too Many Requests';
  page.response.headers.set('Retry-After', retryAfter);
  setCache(page, 'error');
  return { status: 'unavailable' };
}

/**
 * Runs a page's loader. `null` from the loader means "no such document" (404). CMS failures are
 * logged and become a 503 the page renders as a friendly notice; anything else is a bug and is rethrown.
 */
export async function loadPage<T>(page: PageContext, policy: CachePolicy, loader: () => Promise<T | null>): Promise<Loaded<T>> {
  try {
    const data = await loader();
    if (data === null) return notFound(page);
    setCache(page, policy);
    return { status: 'ok', data };
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    if (err instanceof CmsResponseError && err.status === 429) return tooManyRequests(page, err.retryAfter);
    console.error(`[site] ${err.message}`);
    return unavailable(page);
  }
}
