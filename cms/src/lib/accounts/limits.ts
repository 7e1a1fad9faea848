import { REDIS_PREFIX } from '@ovation/workers/jobs';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../request-budgets';
import { sharedRedis } from '../redis';
import { secrets } from '../secrets';

export type Refusal = { retryAfterSeconds: number; limit: number };

/**
 * A count of attempts per key over a window, shared by every cms instance through Redis, with an
 * in-memory count while Redis is away (so an outage never lifts the limit). Keys are hashed with the
 * app's first key, as the request budgets do: no email or address is kept in Redis.
 */
export function createAttemptLimit(name: string, points: number, durationSeconds: number) {
  let limiter: RateLimiterRedis | undefined;
  const get = () =>
    (limiter ??= new RateLimiterRedis({
      storeClient: sharedRedis(),
      keyPrefix: `${REDIS_PREFIX}:limit:accounts:${name}`,
      points,
      duration: durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    }));
  const keyOf = addressKey(secrets().APP_KEYS.split(',')[0]);
  const refusal = (result: RateLimiterRes): Refusal => ({ limit: points, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) });

  return {
    /** Counts one attempt for `key`: a refusal once the window's attempts are spent. */
    async spend(key: string): Promise<Refusal | undefined> {
      try {
        await get().consume(keyOf(key));
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return refusal(rejection);
        throw rejection;
      }
    },
    /** A refusal when `key` has nothing left, without spending anything. */
    async spent(key: string): Promise<Refusal | undefined> {
      const result = await get().get(keyOf(key));
      return result && result.remainingPoints <= 0 ? refusal(result) : undefined;
    },
  };
}

export type AttemptLimit = ReturnType<typeof createAttemptLimit>;
