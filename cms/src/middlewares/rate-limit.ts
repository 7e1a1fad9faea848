import { errors } from '@strapi/utils';
import { REDIS_PREFIX } from '@ovation/workers/jobs';
import type { Caller } from '../lib/callers';
import { addressKey, budgetOf, createRequestBudgets, type BudgetSizes, type Verdict } from '../lib/request-budgets';
import { secrets } from '../lib/secrets';
import { sharedRedis } from '../lib/redis';

type Config = {
  /** Path prefixes that are limited: the content API and GraphQL. */
  paths: string[];
  /** Paths with limits of their own (a trailing `/` takes everything below), e.g. Twilio's webhook, limited per sending number. */
  exempt: string[];
  perMinute: BudgetSizes;
};

type Ctx = {
  path: string;
  method: string;
  status: number;
  state: { caller?: Caller };
  get(header: string): string;
  set(header: string, value: string): void;
};

const statusOf = (error: unknown) => (error as { status?: number } | null)?.status ?? ((error as Error | null)?.name === 'UnauthorizedError' ? 401 : undefined);

function refuse(ctx: Ctx, verdict: Verdict): never {
  ctx.set('Retry-After', String(verdict.resetSeconds));
  throw new errors.RateLimitError(`Too many requests: at most ${verdict.limit} a minute. Try again in ${verdict.resetSeconds} s.`, {
    limit: verdict.limit,
    retryAfter: verdict.resetSeconds,
  });
}

/**
 * Every public route has a per-client budget of requests a minute (see lib/request-budgets.ts):
 * anonymous callers by address, fans behind the site by the address the site saw, the site's own
 * shared work, and each credential. A refused request costs one Redis round trip and answers 429
 * with Retry-After, in Strapi's error shape. Failed credentials also spend their address's
 * anonymous budget, so guessing tokens is no way around it.
 */
const rateLimit = (config: Config) => {
  const budgets = createRequestBudgets(config.perMinute, sharedRedis, `${REDIS_PREFIX}:limit:requests`);
  const keyOfAddress = addressKey(secrets().APP_KEYS.split(',')[0]);
  const exempt = (path: string) => config.exempt.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
  const limited = (path: string) => config.paths.some((prefix) => path.startsWith(prefix)) && !exempt(path);

  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method === 'OPTIONS' || !limited(ctx.path) || !ctx.state.caller) return next();
    const caller = ctx.state.caller;
    const address = caller.kind === 'site' ? undefined : keyOfAddress(caller.address);
    const { budget, key } = budgetOf(caller, ctx.get('authorization') || undefined, keyOfAddress);

    const [verdict, addressSpent] = await Promise.all([
      budgets.spend(budget, key),
      budget === 'credential' && address ? budgets.exhausted('anonymous', address) : undefined,
    ]);
    if (addressSpent) refuse(ctx, addressSpent);
    if (verdict && !verdict.allowed) refuse(ctx, verdict);
    if (verdict) {
      ctx.set('RateLimit-Limit', String(verdict.limit));
      ctx.set('RateLimit-Remaining', String(verdict.remaining));
      ctx.set('RateLimit-Reset', String(verdict.resetSeconds));
    }

    let failedCredential = false;
    try {
      await next();
      failedCredential = budget === 'credential' && ctx.status === 401;
    } catch (error) {
      failedCredential = budget === 'credential' && statusOf(error) === 401;
      throw error;
    } finally {
      if (failedCredential && address) await budgets.spend('anonymous', address).catch(() => undefined);
    }
  };
};

export default rateLimit;
