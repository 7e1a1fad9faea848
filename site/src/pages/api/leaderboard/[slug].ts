/**
 * `GET /api/leaderboard/:slug`: the event's current standings as `{ data }`, or 404 when its
 * results are not public. The live leaderboard polls this when its stream is down. A CDN may hold
 * it for a second, which is as stale as a poll is anyway.
 */
import type { APIRoute } from 'astro';
import { CmsError, CmsResponseError } from '../../../lib/cms';
import { getStandings } from '../../../lib/voting';

const headers = (cache: string) => ({ 'content-type': 'application/json; charset=utf-8', 'cache-control': cache });

export const GET: APIRoute = async ({ params }) => {
  const slug = params.slug ?? '';
  try {
    const result = await getStandings(slug);
    if (!result.visible) {
      return new Response(JSON.stringify({ data: null, error: { status: 404, name: 'NotFoundError', message: 'Results are not public' } }), {
        status: 404,
        headers: headers('public, max-age=0, s-maxage=5'),
      });
    }
    return new Response(JSON.stringify({ data: result.standings }), { headers: headers('public, max-age=0, s-maxage=1') });
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    if (err instanceof CmsResponseError && err.status === 429) {
      const error = { status: 429, name: 'RateLimitError', message: 'Too many requests: try again in a moment' };
      return new Response(JSON.stringify({ data: null, error }), { status: 429, headers: { ...headers('no-store'), 'retry-after': err.retryAfter ?? '30' } });
    }
    console.error(`[site] ${err.message}`);
    return new Response(JSON.stringify({ data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Standings are unavailable' } }), {
      status: 503,
      headers: { ...headers('no-store'), 'retry-after': '5' },
    });
  }
};
