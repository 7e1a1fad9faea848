/**
 * `POST /api/votes` `{ token, choice }`: the vote island's endpoint. Proxies to the CMS so the
 * browser only ever talks to this origin (CSP `connect-src 'self'`, no CORS), and answers with the
 * outcome the island shows: `{ ok: true, receipt }` or `{ ok: false, problem }`.
 */
import type { APIRoute } from 'astro';
import { problemStatus } from '../../lib/page-data';
import type { CastVoteAnswer } from '../../lib/vote-types';
import { readBoundedText } from '../../lib/security';
import { castVote } from '../../lib/voting';

const json = (body: CastVoteAnswer, status: number, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export const POST: APIRoute = async ({ request }) => {
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    return json({ ok: false, problem: 'choice' }, 415);
  }
  const text = await readBoundedText(request);
  if (text === undefined) return json({ ok: false, problem: 'choice' }, 413);
  const body = parseJson(text) as { token?: unknown; choice?: unknown } | null;
  const token = typeof body?.token === 'string' ? body.token : '';
  const result = await castVote(token, body?.choice);
  if (result.ok) return json({ ok: true, receipt: result.receipt }, 201);
  return json({ ok: false, problem: result.problem }, problemStatus(result.problem), result.retryAfter ? { 'retry-after': result.retryAfter } : {});
};
