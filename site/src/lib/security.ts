/**
 * The site's security rules, applied by src/middleware.ts: the Content-Security-Policy and the
 * refusal of cross-site writes.
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

/**
 * Refuses writes (the vote form, the vote endpoint) that a browser sent from another site. Astro's
 * own `checkOrigin` is off because it compares with a host it only trusts when `allowedDomains`
 * is fixed at build time; this compares with the Host header and SITE_URL, read at run time.
 */
export function isCrossSiteWrite(request: Request, siteUrl = process.env.SITE_URL): boolean {
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

/** A body declared larger than the limit, refused before any of it is read. */
export const declaresTooLargeBody = (request: Request, limit = MAX_BODY_BYTES) => Number(request.headers.get('content-length') ?? 0) > limit;

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
