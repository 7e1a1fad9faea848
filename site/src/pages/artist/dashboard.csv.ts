import type { APIRoute } from 'astro';
import { artistPaths } from '../../lib/artist-pages';
import { asArtist, hasSession } from '../../lib/artist-session';
import { CmsUnreachableError } from '../../lib/cms';

/** The dashboard's aggregates as CSV, as the CMS makes them for the signed-in artist. */
export const GET: APIRoute = async (astro) => {
  if (!hasSession(astro)) return astro.redirect(artistPaths.login(), 303);
  try {
    const answer = await asArtist(astro, '/api/artist-portal/me/dashboard.csv');
    if (answer.status === 401 || answer.status === 403) return astro.redirect(artistPaths.login(), 303);
    if (answer.status !== 200) return new Response('Not available', { status: 503, headers: { 'Retry-After': '30' } });
    return new Response(answer.text, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': answer.headers.get('content-disposition') ?? 'attachment; filename="results.csv"',
        'cache-control': 'private, no-store',
      },
    });
  } catch (err) {
    if (!(err instanceof CmsUnreachableError)) throw err;
    return new Response('The CMS is not reachable', { status: 503, headers: { 'Retry-After': '30' } });
  }
};
