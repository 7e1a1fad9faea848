/**
 * The vote lane: `POST /api/votes` answered straight from node:http by the built server (server.mjs),
 * not through Astro. When a round opens, a crowd votes at once; Astro would turn each vote into a
 * web `Request` with an abort signal and body stream, run the page pipeline, and write a web
 * `Response` back, which costs the site more than the vote costs the CMS. The endpoint itself is
 * src/lib/vote-endpoint.ts, the same under `astro dev`; this carries bytes in and out, and applies the
 * rules src/middleware.ts applies to every request: the early refusals, the fan's address for the
 * CMS, and the headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { headerReader } from '../lib/cms';
import { servingFan } from '../lib/fan-context';
import { earlyRefusal, isOverTls, MAX_BODY_BYTES, securityHeaders, UNCLASSIFIED_CACHE_CONTROL, type RequestHead } from '../lib/security';
import { answerVote, VOTE_ENDPOINT } from '../lib/vote-endpoint';

const headOf = (req: IncomingMessage): RequestHead => ({ method: req.method ?? 'GET', headers: headerReader(req.headers) });

/** The body as text, read no further than `limit` bytes: undefined when it is longer. */
function readBoundedBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Cut off there: the rest is not kept, only let through (as node does with a body left unread)
      // so that the client, still sending, gets the answer rather than a broken pipe.
      req.off('data', onData);
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string) {
  res.writeHead(status, headers);
  res.end(body);
}

/** The built server's handler for `POST /api/votes`. */
export async function voteLane(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = headOf(req);
  const refused = earlyRefusal(head, VOTE_ENDPOINT);
  if (refused) return send(res, refused.status, { 'content-type': 'text/plain' }, refused.message);
  // server.mjs has already put the address it vouches for in X-Forwarded-For (Astro reads it there too).
  const address = head.headers.get('x-forwarded-for') ?? '';
  const answer = await servingFan(address ? { address } : undefined, () => answerVote(head.headers.get('content-type'), () => readBoundedBody(req, MAX_BODY_BYTES)));
  const overTls = isOverTls((req.socket as TLSSocket).encrypted ? 'https:' : 'http:', head.headers.get('x-forwarded-proto'));
  const headers = { 'cache-control': UNCLASSIFIED_CACHE_CONTROL, ...answer.headers, ...securityHeaders(VOTE_ENDPOINT, { overTls }) };
  send(res, answer.status, headers, JSON.stringify(answer.body));
}

/** The lanes of the built server, by method and path. */
export const lanes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
  [`POST ${VOTE_ENDPOINT}`]: voteLane,
};
