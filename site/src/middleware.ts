/**
 * Security and caching headers for every response the server renders (rules in lib/security.ts).
 */
import { defineMiddleware } from 'astro:middleware';
import { servingFan } from './lib/fan-context';
import { imageCache } from './lib/image-cache';
import { earlyRefusal, isImageSourceAllowed, isOverTls, securityHeaders, UNCLASSIFIED_CACHE_CONTROL } from './lib/security';

function fanOf(context: { clientAddress: string }) {
  try {
    return { address: context.clientAddress };
  } catch {
    // Astro throws where the adapter gives no address (never with server.mjs).
    return undefined;
  }
}

export const onRequest = defineMiddleware(async (context, next) => {
  const refused = earlyRefusal(context.request, context.url.pathname);
  if (refused) return new Response(refused.message, { status: refused.status, headers: { 'content-type': 'text/plain' } });
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
  const overTls = isOverTls(context.url.protocol, context.request.headers.get('x-forwarded-proto'));
  // Astro's dev server serves inline module scripts of its own; the policy applies to built servers.
  const rules = securityHeaders(context.url.pathname, { overTls, astroPolicy: headers.get('Content-Security-Policy'), withPolicy: !import.meta.env.DEV });
  for (const [name, value] of Object.entries(rules)) headers.set(name, value);
  if (headers.get('Content-Type') === 'text/html') headers.set('Content-Type', 'text/html; charset=utf-8');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', UNCLASSIFIED_CACHE_CONTROL);
  return response;
});
