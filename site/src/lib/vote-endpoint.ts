/**
 * The site's `POST /api/votes` `{ token, choice }`, whichever server runs it: the vote island's
 * endpoint. It proxies to the CMS so the browser only ever talks to this origin (CSP
 * `connect-src 'self'`, no CORS), and answers with the outcome the island shows: 201
 * `{ ok: true, receipt }` or `{ ok: false, problem }` with the problem's status.
 *
 * Served by src/pages/api/votes.ts under `astro dev`, and by the vote lane (src/lanes/votes.ts)
 * in the built server: both only carry bytes in and out of this.
 */
import { castVote } from './voting';
import { problemStatus, type CastVoteAnswer } from './vote-types';

export const VOTE_ENDPOINT = '/api/votes';

export interface VoteEndpointAnswer {
  status: number;
  body: CastVoteAnswer;
  headers: Record<string, string>;
}

const answer = (body: CastVoteAnswer, status: number, extra: Record<string, string> = {}): VoteEndpointAnswer => ({
  status,
  body,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
});

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * The answer to a vote: 415 unless the body is JSON, 413 when it is longer than the site accepts
 * (`readBody` gives undefined then), else the CMS's verdict. `readBody` is only called for JSON.
 */
export async function answerVote(contentType: string | null, readBody: () => Promise<string | undefined>): Promise<VoteEndpointAnswer> {
  if (!contentType?.toLowerCase().startsWith('application/json')) return answer({ ok: false, problem: 'choice' }, 415);
  const text = await readBody();
  if (text === undefined) return answer({ ok: false, problem: 'choice' }, 413);
  const body = parseJson(text) as { token?: unknown; choice?: unknown } | null;
  const token = typeof body?.token === 'string' ? body.token : '';
  const result = await castVote(token, body?.choice);
  if (result.ok) return answer({ ok: true, receipt: result.receipt }, 201);
  return answer({ ok: false, problem: result.problem }, problemStatus(result.problem), result.retryAfter ? { 'retry-after': result.retryAfter } : {});
}
