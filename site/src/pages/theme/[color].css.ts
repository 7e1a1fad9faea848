/**
 * `GET /theme/<rrggbb>.css`: an event's accent as CSS custom properties, adjusted for contrast
 * (src/lib/accent.ts). A stylesheet from this origin rather than an inline style, which the CSP
 * forbids; the same colour always gives the same file, so it may be cached for good.
 */
import type { APIRoute } from 'astro';
import { accentPalette, accentStylesheet } from '../../lib/accent';

export const GET: APIRoute = ({ params }) => {
  const palette = accentPalette(`#${params.color ?? ''}`);
  if (!palette) return new Response('/* not a colour */\n', { status: 404, headers: { 'content-type': 'text/css; charset=utf-8' } });
  return new Response(accentStylesheet(palette), {
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' },
  });
};
