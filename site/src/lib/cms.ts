/**
 * Transport to the Ovation CMS (Strapi 5): base URLs, timeouts, and the errors pages turn into
 * friendly 503s. Server-side only: the URLs are read from the environment on every call, so the
 * built server (`node dist/server/entry.mjs`) honours the values it is started with.
 */

import http from 'node:http';
import https from 'node:https';
import { currentFan } from './fan-context';

export const DEFAULT_CMS_URL = 'http://127.0.0.1:1337';

/**
 * How the site tells the CMS whom it asks for: its token (SITE_TOKEN, the same secret the CMS has),
 * and the fan's address. The CMS believes a forwarded address only with the token. The CMS side
 * (and the same two names) is cms/src/lib/callers.ts.
 */
export const SITE_TOKEN_HEADER = 'x-ovation-site-token';
export const CLIENT_ADDRESS_HEADER = 'x-ovation-client-address';

/** The site's credential and the fan being served, as headers for one CMS request. */
export function callerHeaders(): Record<string, string> {
  const token = process.env.SITE_TOKEN?.trim();
  if (!token) return {};
  const fan = currentFan();
  return fan ? { [SITE_TOKEN_HEADER]: token, [CLIENT_ADDRESS_HEADER]: fan.address } : { [SITE_TOKEN_HEADER]: token };
}
export const DEFAULT_TIMEOUT_MS = 5_000;

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

/** Strapi's error body: `{ data: null, error: { status, name, message, details } }`. */
export interface CmsErrorBody {
  data: null;
  error: { status: number; name: string; message: string; details?: unknown };
}

export interface CmsClientOptions {
  /** Overrides `process.env.CMS_URL`. */
  baseUrl?: string;
  timeoutMs?: number;
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
  /** The CMS's Retry-After (a 429 or 503), in seconds as it sent them. */
  readonly retryAfter?: string;
  constructor(message: string, url: string, status: number, options?: { cause?: unknown; retryAfter?: string }) {
    super(message, url, options);
    this.status = status;
    this.retryAfter = options?.retryAfter;
  }
}

/** The CMS base URL the server talks to, without a trailing slash. Read at call time. */
export function cmsBaseUrl(override?: string): string {
  const raw = override ?? process.env.CMS_URL ?? DEFAULT_CMS_URL;
  return (raw.trim() || DEFAULT_CMS_URL).replace(/\/+$/, '');
}

/**
 * The CMS origin as browsers see it (for media under /uploads): `CMS_PUBLIC_URL`, else `CMS_URL`.
 * They differ when the site reaches the CMS on a private address (http://cms:1337 in Docker).
 */
export function cmsPublicUrl(): string {
  const raw = process.env.CMS_PUBLIC_URL?.trim();
  return raw ? raw.replace(/\/+$/, '') : cmsBaseUrl();
}

export type QueryValue = string | number | boolean;

/**
 * Builds a Strapi query string. Brackets are kept readable (`filters[phase][$in][0]=live`);
 * Strapi's `qs` parser accepts them encoded or not.
 */
export function toQuery(params: Record<string, QueryValue>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(value))}`)
    .join('&');
}

export interface CmsRequest extends CmsClientOptions {
  method?: 'GET' | 'POST';
  params?: Record<string, QueryValue>;
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
}

/** The headers of a CMS answer, read by name as with `Headers`. */
export interface CmsAnswerHeaders {
  get(name: string): string | null;
}

/** A CMS answer of any status, body parsed as JSON (null when empty or not JSON). */
export interface CmsAnswer {
  status: number;
  body: unknown;
  headers: CmsAnswerHeaders;
}

// One pool of kept-alive connections per protocol for every call to the CMS. A fan's vote, a page's
// content and a leaderboard each cost a request on a connection already open, not a new one; Node's
// agent closes an idle connection before the CMS would (from its Keep-Alive timeout hint).
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

class CmsTimeout extends Error {
  override name = 'TimeoutError';
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof CmsTimeout) return `timed out after ${timeoutMs} ms`;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}

type Sent = { status: number; text: string; headers: http.IncomingHttpHeaders };

/**
 * One exchange over node:http (the site's hottest path, a fan's vote, is a proxy of this call; node's
 * own client costs a fraction of `fetch`'s web streams and abort signals per request), within
 * `timeoutMs` from the first byte sent to the last received.
 */
function exchange(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Sent> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Sent>((resolve, reject) => {
    const req = client.request(url, { method, headers, agent: agents[url.protocol as keyof typeof agents] });
    const timer = setTimeout(() => req.destroy(new CmsTimeout()), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
      });
    });
    req.end(body);
  });
}

/** Once more when a kept-alive connection the CMS had just closed was reset under a GET, which is safe to repeat. */
async function exchangeOnce(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Sent> {
  try {
    return await exchange(url, method, headers, body, timeoutMs);
  } catch (err) {
    if (method !== 'GET' || (err as { code?: unknown }).code !== 'ECONNRESET') throw err;
    return exchange(url, method, headers, body, timeoutMs);
  }
}

/** Node's headers of a message, read by name as with `Headers`. */
export const headerReader = (headers: http.IncomingHttpHeaders): CmsAnswerHeaders => ({
  get(name) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

/**
 * One request to the CMS. Answers with any HTTP status (callers decide what a 404 or 409 means);
 * throws `CmsUnreachableError` only when no answer came back in time.
 */
export async function cmsRequest(path: string, request: CmsRequest = {}): Promise<CmsAnswer> {
  const base = cmsBaseUrl(request.baseUrl);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const query = request.params ? toQuery(request.params) : '';
  const url = `${base}${path}${query ? `?${query}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json', ...callerHeaders(), ...request.headers };
  const payload = request.json === undefined ? undefined : JSON.stringify(request.json);
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }

  let sent: Sent;
  try {
    sent = await exchangeOnce(new URL(url), request.method ?? 'GET', headers, payload, timeoutMs);
  } catch (err) {
    throw new CmsUnreachableError(
      `CMS unreachable at ${base} (${describeFailure(err, timeoutMs)}). Is it running? Set CMS_URL to point at it.`,
      url,
      { cause: err },
    );
  }

  let body: unknown = null;
  if (sent.text) {
    try {
      body = JSON.parse(sent.text);
    } catch {
      body = null;
    }
  }
  return { status: sent.status, body, headers: headerReader(sent.headers) };
}

/**
 * Public content asked for within this long (`SITE_CONTENT_CACHE_MS`, default 1 s; 0 turns it off)
 * is shared: a crowd opening the same page at once (a venue's Wi-Fi when a round opens) costs the
 * CMS one request, made on the budget of the fan who asked first.
 */
const contentCacheMs = () => {
  const raw = process.env.SITE_CONTENT_CACHE_MS;
  return raw && /^\d+$/.test(raw) ? Number(raw) : 1_000;
};
const CONTENT_CACHE_ENTRIES = 1_000;
const recentContent = new Map<string, { expires: number; value: Promise<CmsCollection<unknown>> }>();

function remember<T>(key: string, ttl: number, load: () => Promise<CmsCollection<T>>): Promise<CmsCollection<T>> {
  const now = Date.now();
  const hit = recentContent.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<CmsCollection<T>>;
  const value = load();
  recentContent.delete(key);
  recentContent.set(key, { expires: now + ttl, value });
  // A failure is not worth remembering.
  value.catch(() => recentContent.delete(key));
  if (recentContent.size > CONTENT_CACHE_ENTRIES) {
    for (const [k, entry] of recentContent) if (entry.expires <= now) recentContent.delete(k);
    // Still full (many different addresses asked for at once): the oldest go first.
    for (const k of recentContent.keys()) {
      if (recentContent.size <= CONTENT_CACHE_ENTRIES) break;
      recentContent.delete(k);
    }
  }
  return value;
}

/**
 * GET a Strapi collection endpoint, e.g. `cmsGet('/api/events', {...})`, shared for a moment with
 * everyone asking the same (see `contentCacheMs`). Throws on any non-2xx.
 */
export function cmsGet<T>(path: string, params: Record<string, QueryValue> = {}, options: CmsClientOptions = {}): Promise<CmsCollection<T>> {
  const ttl = contentCacheMs();
  // A caller with a CMS of its own (tests) is not shared with anyone.
  if (ttl <= 0 || options.baseUrl) return fetchCollection<T>(path, params, options);
  return remember(`${path}?${toQuery(params)}`, ttl, () => fetchCollection<T>(path, params, options));
}

async function fetchCollection<T>(path: string, params: Record<string, QueryValue>, options: CmsClientOptions): Promise<CmsCollection<T>> {
  const answer = await cmsRequest(path, { ...options, params });
  const url = `${cmsBaseUrl(options.baseUrl)}${path}`;
  if (answer.status < 200 || answer.status >= 300) {
    throw new CmsResponseError(`CMS answered ${answer.status} for ${path}`, url, answer.status, { retryAfter: answer.headers.get('retry-after') ?? undefined });
  }
  const body = answer.body;
  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) {
    throw new CmsResponseError(`CMS response for ${path} has no "data" array`, url, answer.status);
  }
  const { data, meta } = body as { data: T[]; meta?: CmsCollection<T>['meta'] };
  return { data, meta: meta ?? {} };
}

/** The `error` of a Strapi error body, if `body` is one. */
export function cmsErrorOf(body: unknown): CmsErrorBody['error'] | undefined {
  const error = (body as Partial<CmsErrorBody> | null)?.error;
  return error && typeof error === 'object' && typeof error.status === 'number' ? error : undefined;
}
