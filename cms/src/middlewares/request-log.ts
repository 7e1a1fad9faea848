import type { Core } from '@strapi/strapi';
import { redactUrl } from '../lib/redact-url';

/** strapi::logger's line (method, URL, time, status), with secrets in the URL redacted. */
const requestLog = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: { method: string; url: string; status: number }, next: () => Promise<void>) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      strapi.log.http(`${ctx.method} ${redactUrl(ctx.url)} (${Math.ceil(Date.now() - started)} ms) ${ctx.status}`);
    }
  };
};

export default requestLog;
