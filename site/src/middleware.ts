/**
 * Security and caching headers for every response the server renders.
 *
 * Content-Security-Policy: no inline script or style is allowed, except the few Astro itself emits
 * for islands, which `experimental.csp` hashes (Astro sets `script-src`/`style-src` with those
 * hashes on each page); the rest of the policy is added here because it depends on where the CMS
 * serves media, which is only known at run time.
 */
import { defineMiddleware } from 'astro:middleware';
import { cmsPublicUrl } from './lib/cms';

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

export function contentSecurityPolicy(astroHeader: string | null, cmsOrigin: string | undefined): string {
  const astro = astroDirectives(astroHeader);
  const media = ["'self'", 'data:', cmsOrigin].filter(Boolean).join(' ');
  return [
    "default-src 'self'",
    `script-src ${astro.get('script-src') || "'self'"}`,
    `style-src ${astro.get('style-src') || "'self'"}`,
    `img-src ${media}`,
    `media-src ${media}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

const isVotePath = (pathname: string) => /^\/(?:es\/)?vote\//.test(pathname);

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

export const onRequest = defineMiddleware(async (context, next) => {
  if (isCrossSiteWrite(context.request)) {
    return new Response('Cross-site form submissions are not allowed', { status: 403, headers: { 'content-type': 'text/plain' } });
  }
  const response = await next();
  const headers = response.headers;
  // Astro's dev server serves inline module scripts of its own; the policy applies to built servers.
  if (!import.meta.env.DEV) {
    headers.set('Content-Security-Policy', contentSecurityPolicy(headers.get('Content-Security-Policy'), origin(cmsPublicUrl())));
  }
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  // A voting link is a bearer token: it must not leak to other sites in a Referer header. Not
  // "no-referrer": browsers then send `Origin: null` with the vote form, which reads as cross-site.
  headers.set('Referrer-Policy', isVotePath(context.url.pathname) ? 'same-origin' : 'strict-origin-when-cross-origin');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  // Whatever a page did not classify is treated as personal.
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  return response;
});
