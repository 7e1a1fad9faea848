/**
 * `GET /api/leaderboard/:slug[?round=<n>]`: the event's current standings (or round n's) as `{ data }`,
 * 404 when its results are not public or the round has not opened, 400 for a round that is not a number. The live leaderboard polls this when its stream is down. A CDN may hold
 * it for a second, which is as stale as a poll is anyway.
 */
import type { APIRoute } from 'astro';
import { CmsError, CmsResponseError } from '../../../lib/cms';
import { ROUND_PARAM } from '../../../lib/screen';
import { getStandings } from '../../../lib/voting';

const headers = (cache: string) => ({ 'content-type': 'application/json; charset=utf-8', 'cache-control': cache });

export const GET: APIRoute = async ({ params, url }) => {
  const slug = params.slug ?? '';
  const round = url.searchParams.get('round');
  if (round !== null && !ROUND_PARAM.test(round)) {
    const error = { status: 400, name: 'ValidationError', message: 'round must be a round number (1, 2, …)' };
    return new Response(JSON.stringify({ data: null, error }), { status: 400, headers: headers('no-store') });
  }
  try {
    const result = await getStandings(slug, round === null ? undefined : Number(round));
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
