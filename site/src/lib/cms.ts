/**
 * Tiny client for the Ovation CMS (Strapi 5) public REST API.
 *
 * Server-side only: the base URL is read from `process.env.CMS_URL` on every
 * call, so the built server (`node dist/server/entry.mjs`) honours the value
 * it is started with rather than one frozen in at build time.
 */

import type { Locale } from '../i18n';

export const DEFAULT_CMS_URL = 'http://127.0.0.1:1337';
export const DEFAULT_TIMEOUT_MS = 5_000;

export type EventPhase = 'draft' | 'scheduled' | 'live' | 'closed' | 'archived';
export type ResultsVisibility = 'public' | 'after_close' | 'private';

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
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface CmsCollection<T> {
  data: T[];
  meta: { pagination?: Pagination };
}

export interface CmsClientOptions {
  /** Overrides `process.env.CMS_URL`. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** Base class for every failure of this client. */
export class CmsError extends Error {
  override name = 'CmsError';
  /** The URL that was requested. */
  readonly url: string;
  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/** The CMS could not be reached at all (connection refused, DNS, timeout). */
export class CmsUnreachableError extends CmsError {
  override name = 'CmsUnreachableError';
}

/** The CMS answered, but with an error status or a body we do not understand. */
export class CmsResponseError extends CmsError {
  override name = 'CmsResponseError';
  /** HTTP status of the CMS response. */
  readonly status: number;
  constructor(message: string, url: string, status: number, options?: { cause?: unknown }) {
    super(message, url, options);
    this.status = status;
  }
}

/** The CMS base URL, without a trailing slash. Read at call time. */
export function cmsBaseUrl(override?: string): string {
  const raw = override ?? process.env.CMS_URL ?? DEFAULT_CMS_URL;
  return (raw.trim() || DEFAULT_CMS_URL).replace(/\/+$/, '');
}

type QueryValue = string | number | boolean;

/**
 * Builds a Strapi query string. Brackets are kept readable (`filters[status][$in][0]=live`);
 * Strapi's `qs` parser accepts them encoded or not.
 */
function toQuery(params: Record<string, QueryValue>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(value))}`)
    .join('&');
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** GET a Strapi collection endpoint, e.g. `cmsGet('/api/events', {...})`. */
export async function cmsGet<T>(
  path: string,
  params: Record<string, QueryValue> = {},
  options: CmsClientOptions = {},
): Promise<CmsCollection<T>> {
  const base = cmsBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const query = toQuery(params);
  const url = `${base}${path}${query ? `?${query}` : ''}`;

  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new CmsUnreachableError(
      `CMS unreachable at ${base} (${describeFailure(err, timeoutMs)}). Is it running? Set CMS_URL to point at it.`,
      url,
      { cause: err },
    );
  }

  if (!res.ok) {
    throw new CmsResponseError(`CMS answered ${res.status} ${res.statusText} for ${path}`, url, res.status);
  }

  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'invalid JSON';
    throw new CmsResponseError(`CMS response for ${path} could not be read (${reason})`, url, res.status, { cause: err });
  }

  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) {
    throw new CmsResponseError(`CMS response for ${path} has no "data" array`, url, res.status);
  }
  const { data, meta } = body as { data: T[]; meta?: CmsCollection<T>['meta'] };
  return { data, meta: meta ?? {} };
}

/** Phases shown publicly as "live or upcoming", in display order. */
export const ACTIVE_PHASES = ['live', 'scheduled'] as const satisfies readonly EventPhase[];

/** Live first, then by start time (earliest first). */
export function compareEvents(a: CmsEvent, b: CmsEvent): number {
  const rank = (e: CmsEvent) => (e.phase === 'live' ? 0 : 1);
  return rank(a) - rank(b) || Date.parse(a.starts_at) - Date.parse(b.starts_at);
}

/** Live and upcoming (scheduled) events in the given locale, live first then by start time. */
export async function listLiveAndUpcomingEvents(locale: Locale, options: CmsClientOptions = {}): Promise<CmsEvent[]> {
  const params: Record<string, QueryValue> = {
    locale,
    sort: 'starts_at:asc',
    'pagination[pageSize]': 100,
  };
  ACTIVE_PHASES.forEach((phase, i) => {
    params[`filters[phase][$in][${i}]`] = phase;
  });
  const { data } = await cmsGet<CmsEvent>('/api/events', params, options);
  // The filter is applied by the CMS; re-checking here keeps the page honest if it is ever ignored.
  return data.filter((e) => (ACTIVE_PHASES as readonly string[]).includes(e.phase)).sort(compareEvents);
}
