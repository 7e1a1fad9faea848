import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import type { LimitName } from '../services/limits';

type Config = { limit: LimitName; by: 'ip' | 'from' | 'token' };
type Context = {
  request: { ip: string; body?: Record<string, unknown> };
  params: Record<string, string>;
  set(name: string, value: string): void;
};

const keyOf = (ctx: Context, by: Config['by']) => {
  if (by === 'from') return String(ctx.request.body?.From ?? ctx.request.ip);
  if (by === 'token') return String(ctx.request.body?.token ?? ctx.params.token ?? ctx.request.ip).slice(0, 64);
  return ctx.request.ip;
};

/** A route middleware: `{ name: 'plugin::sms-voting.rate-limit', config: { limit: 'webVotesPerIp', by: 'ip' } }`. */
const rateLimit = (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Context, next: () => Promise<void>) => {
    const verdict = await getService(strapi, 'limits').take(config.limit, `${config.by}:${keyOf(ctx, config.by)}`);
    if (!verdict.allowed) {
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      throw new errors.RateLimitError('Too many requests: try again in a moment', { retryAfter: verdict.retryAfterSeconds });
    }
    await next();
  };
};

export default rateLimit;
