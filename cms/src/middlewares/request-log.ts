import type { Core } from '@strapi/strapi';
import { metrics, REQUEST_ID_HEADER, requestIdFrom, runInContext } from '@ovation/workers/jobs';
import { redactUrl } from '../lib/redact-url';

type Ctx = {
  method: string;
  url: string;
  status: number;
  headerSent: boolean;
  get(name: string): string;
  set(name: string, value: string): void;
  state: { metricsRoute?: string };
  _matchedRoute?: string | RegExp;
};

/**
 * The one line per request (method, URL with secrets redacted, time, status), with its request id
 * (the client's `X-Request-Id` when acceptable, else a new one; answered in `X-Request-Id`) and its
 * route pattern. The whole request runs in that id's context, so every log line it causes and every
 * job it enqueues carries the id. Also times the request for `/metrics` (by route pattern, never the
 * URL; only with `timeRequests`, i.e. when metrics are served) and writes a warning line for requests
 * slower than `slowMs`.
 */
const requestLog = ({ slowMs = 500, timeRequests = true }: { slowMs?: number; timeRequests?: boolean }, { strapi }: { strapi: Core.Strapi }) => {
  const logger = strapi.log as Core.Strapi['log'] & { isLevelEnabled(level: string): boolean };
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.set('X-Request-Id', requestId);
    try {
      await runInContext({ requestId }, next);
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const ms = Math.ceil(seconds * 1000);
      const route = ctx.state.metricsRoute ?? (typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched');
      if (timeRequests) metrics.httpRequestDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
      const slow = ms > slowMs;
      // The line is built only when it will be written: winston filters by level after the work.
      // (No early return here: in a finally block it would swallow the request's error.)
      if (slow || logger.isLevelEnabled('http')) {
        const url = redactUrl(ctx.url);
        const fields = { requestId, method: ctx.method, route, status: ctx.status, durationMs: ms };
        logger.http(`${ctx.method} ${url} (${ms} ms) ${ctx.status}`, fields);
        if (slow) logger.warn(`Slow request: ${ctx.method} ${url} took ${ms} ms (over ${slowMs} ms)`, { ...fields, slow: true });
      }
    }
  };
};

export default requestLog;
