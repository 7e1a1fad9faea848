/**
 * Security and caching headers for every response the server renders (rules in lib/security.ts).
 */
import { defineMiddleware } from 'astro:middleware';
import { servingFan } from './lib/fan-context';
import { imageCache } from './lib/image-cache';
import { contentSecurityPolicy, declaresTooLargeBody, isCrossSiteWrite, isImageSourceAllowed, isVotePath, MAX_BODY_BYTES } from './lib/security';

function fanOf(context: { clientAddress: string }) {
  try {
    return { address: context.clientAddress };
  } catch {
    // Astro throws where the adapter gives no address (never with server.mjs).
    return undefined;
  }
}

export const onRequest = defineMiddleware(async (context, next) => {
  if (isCrossSiteWrite(context.request)) {
    return new Response('Cross-site form submissions are not allowed', { status: 403, headers: { 'content-type': 'text/plain' } });
  }
  // Nothing the site accepts is large: a longer body is refused before any of it is read.
  if (declaresTooLargeBody(context.request)) {
    return new Response(`Request bodies are limited to ${MAX_BODY_BYTES} bytes`, { status: 413, headers: { 'content-type': 'text/plain' } });
  }
  if (context.url.pathname === '/_image') {
    if (!isImageSourceAllowed(context.url.searchParams.get('href'))) {
      return new Response('Only uploads are resized here', { status: 403, headers: { 'content-type': 'text/plain' } });
    }
    const cached = imageCache.get(context.url.search);
    if (cached) return new Response(cached.body, { headers: cached.headers });
    const resized = await next();
    if (resized.status !== 200) return resized;
    const image = { body: await resized.arrayBuffer(), headers: [...resized.headers] };
    imageCache.set(context.url.search, image);
    return new Response(image.body, { headers: image.headers });
  }
  // Every CMS call this request makes names the fan (server.mjs decided their address).
  const response = await servingFan(fanOf(context), next);
  const headers = response.headers;
  // Astro's dev server serves inline module scripts of its own; the policy applies to built servers.
  if (!import.meta.env.DEV) {
    headers.set('Content-Security-Policy', contentSecurityPolicy(headers.get('Content-Security-Policy')));
  }
  if (headers.get('Content-Type') === 'text/html') headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  // A voting link is a bearer token: it must not leak to other sites in a Referer header. Not
  // "no-referrer": browsers then send `Origin: null` with the vote form, which reads as cross-site.
  headers.set('Referrer-Policy', isVotePath(context.url.pathname) ? 'same-origin' : 'strict-origin-when-cross-origin');
  // Served over TLS (here, or by the proxy in front, which says so): browsers keep to HTTPS for a year.
  // Over plain HTTP a browser ignores the header, so a client claiming https gains nothing.
  if (context.url.protocol === 'https:' || context.request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') {
    headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  // Whatever a page did not classify is treated as personal.
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  return response;
});
