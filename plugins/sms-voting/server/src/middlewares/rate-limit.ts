import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import type { LimitName } from '../services/limits';
import { sha256, subjectKey } from '../utils/ids';

type Config = {
  limit: LimitName;
  by: 'ip' | 'from' | 'token';
  /** Spend a point only on answers with these statuses (a guessed token's 404); refuse once spent. */
  spentOn?: number[];
};
type Context = {
  status: number;
  request: { ip: string; body?: Record<string, unknown> };
  /** Set by the app (cms/src/lib/callers.ts): `site` is the site's own shared work, on a budget of its own. */
  state: { caller?: { kind: string } };
  params: Record<string, string>;
  set(name: string, value: string): void;
};

// Phone numbers, addresses and voting tokens never reach Redis: their limits are kept under a hash
// of them (keyed for numbers and addresses, whose small spaces a plain hash would not hide).
/** The limiter key for a subject: a voting token, a sending number or an address. */
export const limitKey = (by: Config['by'], subject: string, appKeys: readonly string[]) =>
  `${by}:${by === 'token' ? sha256(subject.slice(0, 64)).slice(0, 32) : subjectKey(appKeys, subject)}`;

const subjectOf = (ctx: Context, by: Config['by']) => {
  if (by === 'token') return String(ctx.request.body?.token ?? ctx.params.token ?? ctx.request.ip);
  return by === 'from' ? String(ctx.request.body?.From ?? ctx.request.ip) : ctx.request.ip;
};

/** The answer's status: Strapi's errors carry a name, http-errors a status. */
function statusOf(ctx: Context, error: unknown) {
  if (error === undefined) return ctx.status;
  const { status } = error as { status?: unknown };
  if (typeof status === 'number') return status;
  return (error as Error).name === 'NotFoundError' ? 404 : 500;
}

/**
 * A route middleware: `{ name: 'plugin::sms-voting.rate-limit', config: { limit: 'readsPerIp', by: 'ip' } }`.
 * With `spentOn`, only those answers spend a point: fans sharing one address (a venue's Wi-Fi) each
 * use their own token freely, while guesses at tokens from that address are counted.
 */
const rateLimit = (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  const appKeys = strapi.config.get('server.app.keys') as string[];
  const limits = () => getService(strapi, 'limits');
  return async (ctx: Context, next: () => Promise<void>) => {
    // Per-IP limits count fans (the app puts the fan's address the site saw in request.ip), not the site.
    if (config.by === 'ip' && ctx.state.caller?.kind === 'site') return next();
    const key = limitKey(config.by, subjectOf(ctx, config.by), appKeys);
    const verdict = config.spentOn ? await limits().spent(config.limit, key) : await limits().take(config.limit, key);
    if (!verdict.allowed) {
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      throw new errors.RateLimitError('Too many requests: try again in a moment', { retryAfter: verdict.retryAfterSeconds });
    }
    if (!config.spentOn) return next();
    let failure: unknown;
    try {
      await next();
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      if (config.spentOn.includes(statusOf(ctx, failure))) await limits().take(config.limit, key).catch(() => undefined);
    }
  };
};

export default rateLimit;
