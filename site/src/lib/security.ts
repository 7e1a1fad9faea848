/**
 * The site's security rules, applied by src/middleware.ts (and by the vote lane, src/lanes/votes.ts):
 * the Content-Security-Policy and the other headers every response carries, and the refusal of
 * cross-site writes and oversized bodies.
 */
import { cmsPublicUrl } from './cms';

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** `script-src` and `style-src` as Astro computed them for this page (with hashes), if it did. */
function astroDirectives(header: string | null): Map<string, string> {
  const found = new Map<string, string>();
  for (const directive of (header ?? '').split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name === 'script-src' || name === 'style-src') found.set(name, values.join(' '));
  }
  return found;
}

// Every response asks (the policy names them): parsed again only when the settings change.
let knownOrigins: { settings: string; origins: string[] } | undefined;

/**
 * Where images may come from besides this site: the CMS (uploads), and `MEDIA_ORIGINS` (comma-separated)
 * when uploads live elsewhere, e.g. an S3 bucket or a CDN.
 */
function mediaOrigins(): string[] {
  const settings = `${cmsPublicUrl()}\n${process.env.MEDIA_ORIGINS ?? ''}`;
  if (knownOrigins?.settings !== settings) {
    const extra = (process.env.MEDIA_ORIGINS ?? '').split(',').map((o) => origin(o.trim()));
    knownOrigins = { settings, origins: [origin(cmsPublicUrl()), ...extra].filter((o): o is string => Boolean(o)) };
  }
  return knownOrigins.origins;
}

// Policies already written, by Astro's header and the media origins: a page's hashes are the same on
// every request, so the site has as many policies as it has pages (bounded, in case it has not).
const policies = new Map<string, string>();
const POLICIES_KEPT = 500;

/**
 * The policy for a response. No inline script or style is allowed, except the few Astro itself
 * emits for islands, which `experimental.csp` hashes (Astro sets `script-src`/`style-src` with those
 * hashes on each page); the rest is added here because where media live is only known at run time.
 */
export function contentSecurityPolicy(astroHeader: string | null, media: string[] = mediaOrigins()): string {
  const key = `${astroHeader ?? ''}\n${media.join(' ')}`;
  let policy = policies.get(key);
  if (policy === undefined) {
    if (policies.size >= POLICIES_KEPT) policies.clear();
    policy = writePolicy(astroHeader, media);
    policies.set(key, policy);
  }
  return policy;
}

function writePolicy(astroHeader: string | null, media: string[]): string {
  const astro = astroDirectives(astroHeader);
  const sources = ["'self'", 'data:', ...new Set(media)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${astro.get('script-src') || "'self'"}`,
    `style-src ${astro.get('style-src') || "'self'"}`,
    `img-src ${sources}`,
    `media-src ${sources}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Whether the image pipeline (`/_image?href=…`) may fetch `href`: this site's own assets, or a file
 * from an upload origin (the CMS, `MEDIA_ORIGINS`). Anything else would make the site fetch arbitrary URLs.
 */
export function isImageSourceAllowed(href: string | null, media: string[] = mediaOrigins()): boolean {
  if (!href) return false;
  if (href.startsWith('/') && !href.startsWith('//')) return true;
  return media.includes(origin(href) ?? '');
}

export const isVotePath = (pathname: string) => /^\/(?:es\/)?vote\//.test(pathname);

/** What these rules read of a request: a web `Request` is one, and so is a node request's head. */
export interface RequestHead {
  method: string;
  headers: { get(name: string): string | null };
}

/**
 * Refuses writes (the vote form, the vote endpoint) that a browser sent from another site. Astro's
 * own `checkOrigin` is off because it compares with a host it only trusts when `allowedDomains`
 * is fixed at build time; this compares with the Host header and SITE_URL, read at run time.
 */
export function isCrossSiteWrite(request: RequestHead, siteUrl = process.env.SITE_URL): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = request.headers.get('origin');
  // Browsers send Origin with every POST; without one this is not a browser, so not a forged form.
  if (!origin) return false;
  const host = hostOf(origin);
  return !host || (host !== request.headers.get('host') && host !== hostOf(siteUrl));
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}


/** The most any request body may hold: a vote is a token and a code, well under a kilobyte. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The artist area's picture form: a 5 MB picture and the multipart around it. */
export const AVATAR_FORM_BYTES = 6 * 1024 * 1024;
/** The artist area's other forms (a profile's two bios of 4,000 characters, percent-encoded). */
export const ARTIST_FORM_BYTES = 64 * 1024;

/** How large a body may be at this path: the artist area's forms are larger than a vote. */
export function bodyLimitFor(pathname: string): number {
  if (/^\/artist\/avatar$/.test(pathname)) return AVATAR_FORM_BYTES;
  if (/^\/(?:es\/)?artist\//.test(pathname)) return ARTIST_FORM_BYTES;
  return MAX_BODY_BYTES;
}

/** Paths that hold a bearer secret (a voting link, an artist's claim link): no Referer leaves with them. */
export const holdsSecret = (pathname: string) => isVotePath(pathname) || /^\/(?:es\/)?artist\/claim\//.test(pathname);

/** Served over TLS: here (`https:`), or by the proxy in front, which says so in X-Forwarded-Proto. */
export const isOverTls = (protocol: string, forwardedProto: string | null) => protocol === 'https:' || forwardedProto?.split(',')[0]?.trim() === 'https';

/**
 * The headers every response carries, over what its page or endpoint set: the policy (completing the
 * one Astro wrote for a page, `astroPolicy`), no sniffing or framing, a referrer rule that keeps
 * voting and claim links to this site, HSTS over TLS, no powerful features; and, when the page did
 * not classify itself, `Cache-Control: private, no-store` (whatever is not classified is personal).
 */
export function securityHeaders(
  pathname: string,
  { overTls, astroPolicy = null, withPolicy = true }: { overTls: boolean; astroPolicy?: string | null; withPolicy?: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (withPolicy) headers['Content-Security-Policy'] = contentSecurityPolicy(astroPolicy);
  headers['X-Content-Type-Options'] = 'nosniff';
  headers['X-Frame-Options'] = 'DENY';
  // Not "no-referrer" on voting links: browsers then send `Origin: null` with the form, which reads as cross-site.
  headers['Referrer-Policy'] = holdsSecret(pathname) ? 'same-origin' : 'strict-origin-when-cross-origin';
  // Over plain HTTP a browser ignores the header, so a client claiming https gains nothing.
  if (overTls) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  headers['Permissions-Policy'] = 'camera=(), microphone=(), geolocation=(), interest-cohort=()';
  return headers;
}

/** The Cache-Control of a response that set none. */
export const UNCLASSIFIED_CACHE_CONTROL = 'private, no-store';

/**
 * A write refused before anything reads it: sent by a browser from another site (403), or declaring
 * a body over the path's limit (413; nothing the site accepts is large, the artist area's forms least small).
 */
export function earlyRefusal(request: RequestHead, pathname: string): { status: number; message: string } | undefined {
  if (isCrossSiteWrite(request)) return { status: 403, message: 'Cross-site form submissions are not allowed' };
  const limit = bodyLimitFor(pathname);
  if (declaresTooLargeBody(request, limit)) return { status: 413, message: `Request bodies are limited to ${limit} bytes` };
  return undefined;
}

/** A body declared larger than the limit, refused before any of it is read. */
export const declaresTooLargeBody = (request: RequestHead, limit = MAX_BODY_BYTES) => Number(request.headers.get('content-length') ?? 0) > limit;

/**
 * The body as text, read no further than `limit` bytes: undefined when it is longer (a body sent
 * without Content-Length, in chunks, is cut off there instead of being buffered whole).
 */
export async function readBoundedText(request: Request, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  if (declaresTooLargeBody(request, limit)) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body's bytes, read no further than `limit`: undefined when it is longer. */
export async function readBoundedBytes(request: Request, limit: number): Promise<Buffer | undefined> {
  if (declaresTooLargeBody(request, limit)) return undefined;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
