/**
 * `POST /api/votes` `{ token, choice }`: the vote island's endpoint. Proxies to the CMS so the
 * browser only ever talks to this origin (CSP `connect-src 'self'`, no CORS), and answers with the
 * outcome the island shows: `{ ok: true, receipt }` or `{ ok: false, problem }`.
 */
import type { APIRoute } from 'astro';
import { problemStatus } from '../../lib/page-data';
import type { CastVoteAnswer } from '../../lib/vote-types';
import { castVote } from '../../lib/voting';

const json = (body: CastVoteAnswer, status: number, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });

export const POST: APIRoute = async ({ request, clientAddress }) => {
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    return json({ ok: false, problem: 'choice' }, 415);
  }
  const body = (await request.json().catch(() => null)) as { token?: unknown; choice?: unknown } | null;
  const token = typeof body?.token === 'string' ? body.token : '';
  const result = await castVote(token, body?.choice, clientAddress);
  if (result.ok) return json({ ok: true, receipt: result.receipt }, 201);
  return json({ ok: false, problem: result.problem }, problemStatus(result.problem), result.retryAfter ? { 'retry-after': result.retryAfter } : {});
};
