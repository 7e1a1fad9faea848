import crypto from 'crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Caller } from './callers';

/** Requests a minute for each kind of caller; 0 turns that budget off. */
export type BudgetSizes = {
  /** Per address, for anyone calling without credentials (and for failed credentials). */
  anonymous: number;
  /** Per fan, for requests the site makes on a fan's behalf. */
  fan: number;
  /** For the site's own shared work (live streams, cached standings). */
  site: number;
  /** Per signed-in user, or any other Authorization header that is not a content-API token. */
  credential: number;
};

/** The budgets above, and each content-API token's own (sized by plugins/ops `tokens`: its own or RATE_LIMIT_TOKEN_PER_MINUTE). */
export type Budget = keyof BudgetSizes | 'token';

export type Verdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

const hash = (value: string) => crypto.createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * How a client's address is named in Redis: a hash keyed with the app's first key, so neither an
 * address nor (for IPv4's small space) a guessable hash of one is kept there.
 */
export const addressKey = (appKey: string) => (address: string) => crypto.createHmac('sha256', appKey).update(`address:${address}`).digest('hex').slice(0, 32);

/** Which budget a request spends, and under which key. Credentials and addresses are kept hashed in Redis. */
export function budgetOf(caller: Caller, authorization: string | undefined, keyOfAddress: (address: string) => string): { budget: Budget; key: string } {
  if (authorization) return { budget: 'credential', key: hash(authorization) };
  if (caller.kind === 'site') return { budget: 'site', key: 'site' };
  return { budget: caller.kind === 'fan' ? 'fan' : 'anonymous', key: keyOfAddress(caller.address) };
}

/**
 * Per-minute request budgets shared by every cms instance (rate-limiter-flexible on Redis). While
 * Redis is away each instance keeps counting in memory, so content stays readable and still limited.
 */
export function createRequestBudgets(sizes: BudgetSizes, redis: () => Redis, prefix: string) {
  // One limiter per budget and size: a token with a budget of its own counts under the same keys.
  const limiters = new Map<string, RateLimiterRedis>();
  const limiter = (budget: Budget, points: number) => {
    let found = limiters.get(`${budget}:${points}`);
    if (!found) {
      found = new RateLimiterRedis({
        storeClient: redis(),
        keyPrefix: `${prefix}:${budget}`,
        points,
        duration: 60,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
      });
      limiters.set(`${budget}:${points}`, found);
    }
    return found;
  };

  const verdict = (limit: number, result: RateLimiterRes, allowed: boolean): Verdict => ({
    allowed,
    limit,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  });

  return {
    /** Spends one request of `key`'s budget (`points` a minute where it has one of its own); undefined when that budget is off. */
    async spend(budget: Budget, key: string, points = budget === 'token' ? 0 : sizes[budget]): Promise<Verdict | undefined> {
      if (points <= 0) return undefined;
      try {
        return verdict(points, await limiter(budget, points).consume(key), true);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return verdict(points, rejection, false);
        throw rejection;
      }
    },

    /** Whether `key` has anything left of its budget, without spending any. */
    async exhausted(budget: keyof BudgetSizes, key: string): Promise<Verdict | undefined> {
      if (sizes[budget] <= 0) return undefined;
      const result = await limiter(budget, sizes[budget]).get(key);
      return result && result.remainingPoints <= 0 ? verdict(sizes[budget], result, false) : undefined;
    },
  };
}

export type RequestBudgets = ReturnType<typeof createRequestBudgets>;
