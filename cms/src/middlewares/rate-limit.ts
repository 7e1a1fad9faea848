import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { REDIS_PREFIX } from '@ovation/workers/jobs';
import type { Caller } from '../lib/callers';
import { addressKey, budgetOf, createRequestBudgets, type Budget, type BudgetSizes, type Verdict } from '../lib/request-budgets';
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

type Tokens = {
  /** The content-API token the header carries, with its requests a minute (its own or the default). */
  resolve(authorization: string): Promise<{ id: number; perMinute: number } | null>;
  count(tokenId: number): void;
};

/**
 * The budget's state on every answer, as the IETF httpapi draft names it (`RateLimit-Policy`,
 * `RateLimit`: quota, remaining, seconds to reset, a 60-second window), and in the older
 * `RateLimit-Limit`/`-Remaining`/`-Reset` form clients of earlier drafts read.
 */
function announce(ctx: Ctx, budget: Budget, verdict: Verdict) {
  ctx.set('RateLimit-Policy', `"${budget}";q=${verdict.limit};w=60`);
  ctx.set('RateLimit', `"${budget}";r=${verdict.remaining};t=${verdict.resetSeconds}`);
  ctx.set('RateLimit-Limit', String(verdict.limit));
  ctx.set('RateLimit-Remaining', String(verdict.remaining));
  ctx.set('RateLimit-Reset', String(verdict.resetSeconds));
}

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
const rateLimit = (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  const budgets = createRequestBudgets(config.perMinute, sharedRedis, `${REDIS_PREFIX}:limit:requests`);
  const keyOfAddress = addressKey(secrets().APP_KEYS.split(',')[0]);
  const exempt = (path: string) => config.exempt.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
  const limited = (path: string) => config.paths.some((prefix) => path.startsWith(prefix)) && !exempt(path);
  const tokens = () => strapi.plugin('ops')?.service('tokens') as Tokens | undefined;

  /** A content-API token's own budget (by its id, its size where it has one); a credential that is not one spends the credential budget. */
  async function tokenBudget(authorization: string) {
    const token = await tokens()
      ?.resolve(authorization)
      // The database is away: the request is limited as any credential, and refused by Strapi's auth after.
      .catch(() => null);
    return token ? { token, key: String(token.id), points: token.perMinute } : undefined;
  }

  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method === 'OPTIONS' || !limited(ctx.path) || !ctx.state.caller) return next();
    const caller = ctx.state.caller;
    const address = caller.kind === 'site' ? undefined : keyOfAddress(caller.address);
    const authorization = ctx.get('authorization') || undefined;
    const spender = budgetOf(caller, authorization, keyOfAddress);
    const ownBudget = spender.budget === 'credential' && authorization ? await tokenBudget(authorization) : undefined;
    const { budget, key } = ownBudget ? { budget: 'token' as const, key: ownBudget.key } : spender;

    const [verdict, addressSpent] = await Promise.all([
      budgets.spend(budget, key, ownBudget?.points),
      budget === 'credential' && address ? budgets.exhausted('anonymous', address) : undefined,
    ]);
    if (addressSpent) refuse(ctx, addressSpent);
    if (verdict) announce(ctx, budget, verdict);
    if (verdict && !verdict.allowed) refuse(ctx, verdict);
    if (ownBudget) tokens()?.count(ownBudget.token.id);

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
