import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import type { LimitName } from '../services/limits';
import { sha256, subjectKey } from '../utils/ids';

type Config = { limit: LimitName; by: 'ip' | 'from' | 'token' };
type Context = {
  request: { ip: string; body?: Record<string, unknown> };
  /** Set by the app (cms/src/lib/callers.ts): `site` is the site's own shared work, on a budget of its own. */
  state: { caller?: { kind: string } };
  params: Record<string, string>;
  set(name: string, value: string): void;
};

// Phone numbers, addresses and voting tokens never reach Redis: their limits are kept under a hash
// of them (keyed for numbers and addresses, whose small spaces a plain hash would not hide).
const keyOf = (ctx: Context, by: Config['by'], appKeys: readonly string[]) => {
  if (by === 'token') return sha256(String(ctx.request.body?.token ?? ctx.params.token ?? ctx.request.ip).slice(0, 64)).slice(0, 32);
  return subjectKey(appKeys, by === 'from' ? String(ctx.request.body?.From ?? ctx.request.ip) : ctx.request.ip);
};

/** A route middleware: `{ name: 'plugin::sms-voting.rate-limit', config: { limit: 'webVotesPerIp', by: 'ip' } }`. */
const rateLimit = (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  const appKeys = strapi.config.get('server.app.keys') as string[];
  return async (ctx: Context, next: () => Promise<void>) => {
    // Per-IP limits count fans (the app puts the fan's address the site saw in request.ip), not the site.
    if (config.by === 'ip' && ctx.state.caller?.kind === 'site') return next();
    const verdict = await getService(strapi, 'limits').take(config.limit, `${config.by}:${keyOf(ctx, config.by, appKeys)}`);
    if (!verdict.allowed) {
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      throw new errors.RateLimitError('Too many requests: try again in a moment', { retryAfter: verdict.retryAfterSeconds });
    }
    await next();
  };
};

export default rateLimit;
