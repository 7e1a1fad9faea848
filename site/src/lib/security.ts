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

/**
 * Where images may come from besides this site: the CMS (uploads), and `MEDIA_ORIGINS` (comma-separated)
 * when uploads live elsewhere, e.g. an S3 bucket or a CDN.
 */
function mediaOrigins(): string[] {
  const extra = (process.env.MEDIA_ORIGINS ?? '').split(',').map((o) => origin(o.trim()));
  return [origin(cmsPublicUrl()), ...extra].filter((o): o is string => Boolean(o));
}

/**
 * The policy for a response. No inline script or style is allowed, except the few Astro itself
 * emits for islands, which `experimental.csp` hashes (Astro sets `script-src`/`style-src` with those
 * hashes on each page); the rest is added here because where media live is only known at run time.
 */
export function contentSecurityPolicy(astroHeader: string | null, media: string[] = mediaOrigins()): string {
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
