/**
 * The votes fans make in the same moment, sent to the CMS together: `POST /api/sms-voting/votes/batch`
 * with each fan's address, answered with each vote's own outcome. When a round opens, a crowd votes
 * at once; one request per moment instead of one per fan is what keeps the CMS's cost per vote low.
 * The CMS applies to each vote exactly what it applies to a vote sent alone (limits per address and
 * per token, the same refusals).
 */
import { VOTE_BATCH_MAX, VOTING_API as API, type BatchedVoteOutcome, type CastWebVoteBatch } from '@ovation/plugin-sms-voting/contracts';
import { cmsErrorOf, cmsRequest, type CmsAnswer } from './cms';
import { asSite } from './fan-context';

type Vote = CastWebVoteBatch.Request['body']['votes'][number];
type Waiting = { vote: Vote; resolve(outcome: BatchedVoteOutcome): void; reject(error: unknown): void };

const TIMEOUT_MS = 8_000;

let waiting: Waiting[] = [];
let flushing = false;

/**
 * Sends what is waiting. The request is the site's own (its token, no single fan's address): each
 * vote carries its fan's.
 */
function flush() {
  flushing = false;
  const batch = waiting;
  waiting = [];
  if (batch.length) void asSite(() => send(batch));
}

/**
 * A CMS answer that is not the expected one (`expected`: its status for success) as a vote's outcome:
 * its error and Retry-After, or a 502 when the CMS said success in a shape that is not one.
 */
export function refusalOf(answer: CmsAnswer, expected: number): Exclude<BatchedVoteOutcome, { status: 201 }> {
  const error = cmsErrorOf(answer.body) ?? { status: answer.status, name: 'Error', message: `The CMS answered ${answer.status}` };
  return { status: answer.status === expected ? 502 : answer.status, error, retryAfter: Number(answer.headers.get('retry-after')) || undefined };
}

async function send(batch: Waiting[]) {
  try {
    const answer = await cmsRequest(`${API}/votes/batch`, { method: 'POST', json: { votes: batch.map((entry) => entry.vote) }, timeoutMs: TIMEOUT_MS });
    const outcomes = (answer.body as Partial<CastWebVoteBatch.Response> | null)?.data;
    if (answer.status === 200 && Array.isArray(outcomes) && outcomes.length === batch.length) {
      batch.forEach((entry, i) => entry.resolve(outcomes[i]!));
      return;
    }
    // The batch itself was refused (the CMS away, a fault): every vote in it gets that answer.
    const refused = refusalOf(answer, 200);
    for (const entry of batch) entry.resolve(refused);
  } catch (error) {
    for (const entry of batch) entry.reject(error);
  }
}

/** One fan's vote, sent with the others made in the same turn of the event loop (at most VOTE_BATCH_MAX at a time). */
export function castInBatch(vote: Vote): Promise<BatchedVoteOutcome> {
  return new Promise((resolve, reject) => {
    waiting.push({ vote, resolve, reject });
    if (waiting.length >= VOTE_BATCH_MAX) flush();
    else if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
}
