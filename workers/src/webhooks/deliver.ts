import http from 'http';
import https from 'https';
import type dns from 'dns';
import { ForbiddenDestinationError, guardedLookup, isAllowlisted, urlProblem } from './address-guard';
import { webhookSettings, type WebhookSettings } from './settings';

/** What one attempt came to, as the delivery log keeps it. */
export type AttemptResult = {
  outcome: 'succeeded' | 'failed' | 'gone' | 'timeout' | 'refused' | 'error';
  status: number | null;
  durationMs: number;
  /** The first kilobyte of the answer (or what went wrong). */
  response: string;
  /** The receiver's `Retry-After`, in milliseconds from now. */
  retryAfterMs: number | null;
};

const EXCERPT_BYTES = 1024;
/** Read no more than this of an answer (the excerpt is the first kilobyte); the rest is cut off. */
const READ_LIMIT = 64 * 1024;

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

type Agents = { guarded: { http: http.Agent; https: https.Agent }; open: { http: http.Agent; https: https.Agent } };

/**
 * Posts signed webhook bodies. Connections check the address they resolve to at connect time (never
 * loopback, private, link-local, CGNAT or metadata addresses), redirects are never followed, and an
 * attempt has `timeoutMs` in all. Allowlisted hosts (`WEBHOOKS_ALLOW_HOSTS`, for tests' local
 * receivers) skip the address check only. Connections are kept alive per endpoint.
 */
export function createDeliverer({ lookup }: { lookup?: typeof dns.lookup } = {}) {
  const guard = guardedLookup(lookup) as unknown as typeof dns.lookup;
  const options = { keepAlive: true, maxSockets: 64 };
  const agents: Agents = {
    guarded: { http: new http.Agent({ ...options, lookup: guard }), https: new https.Agent({ ...options, lookup: guard }) },
    open: { http: new http.Agent(options), https: new https.Agent(options) },
  };

  async function post(rawUrl: string, headers: Record<string, string>, body: string, settings: WebhookSettings = webhookSettings()): Promise<AttemptResult> {
    const started = process.hrtime.bigint();
    const took = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    const problem = urlProblem(rawUrl, settings);
    if (problem) return { outcome: 'refused', status: null, durationMs: 0, response: `The endpoint URL ${problem}`, retryAfterMs: null };
    const url = new URL(rawUrl);
    const secure = url.protocol === 'https:';
    const pool = isAllowlisted(url, settings) ? agents.open : agents.guarded;
    const agent = secure ? pool.https : pool.http;

    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, durationMs: took() });
      };
      const request = (secure ? https : http).request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'Ovation-Webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
      });
      const timer = setTimeout(() => {
        finish({ outcome: 'timeout', status: null, response: `No answer within ${settings.timeoutMs} ms`, retryAfterMs: null });
        request.destroy();
      }, settings.timeoutMs);
      request.on('error', (error) => {
        const refused = error instanceof ForbiddenDestinationError || (error as NodeJS.ErrnoException).code === 'EFORBIDDEN';
        finish({ outcome: refused ? 'refused' : 'error', status: null, response: error.message.slice(0, EXCERPT_BYTES), retryAfterMs: null });
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const status = response.statusCode ?? 0;
        const done = () => {
          const outcome = status >= 200 && status < 300 ? 'succeeded' : status === 410 ? 'gone' : 'failed';
          finish({ outcome, status, response: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'), retryAfterMs: retryAfterMs(response.headers['retry-after']) });
        };
        response.on('data', (chunk: Buffer) => {
          if (read < EXCERPT_BYTES) chunks.push(chunk);
          read += chunk.length;
          if (read > READ_LIMIT) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      });
      request.end(body);
    });
  }

  return {
    post,
    close() {
      for (const pool of [agents.guarded, agents.open]) {
        pool.http.destroy();
        pool.https.destroy();
      }
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
