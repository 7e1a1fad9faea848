/**
 * `POST /api/votes` under `astro dev` (the built server answers it from its vote lane,
 * src/lanes/votes.ts): see src/lib/vote-endpoint.ts.
 */
import type { APIRoute } from 'astro';
import { readBoundedText } from '../../lib/security';
import { answerVote } from '../../lib/vote-endpoint';

export const POST: APIRoute = async ({ request }) => {
  const answer = await answerVote(request.headers.get('content-type'), () => readBoundedText(request));
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
};
