import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { TwoFactorConfig } from '../config';
import { pluginConfig } from '../utils/plugin-config';
import { getService } from '../utils/get-service';

type Sizes = TwoFactorConfig['failures'];

/**
 * Wrong codes counted per key (an account, an address) on Redis, shared by every cms instance.
 * While Redis is away each instance counts in memory (the insurance limiter), so an outage never
 * lifts the limit. A key that reaches `points` failures is locked for `lockSeconds`.
 */
export function createFailureCounter(redis: Redis, keyPrefix: string, { points, windowSeconds, lockSeconds }: Sizes) {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points, duration: windowSeconds }),
  });
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    /** Seconds until the first locked key opens again, or null when none is locked. */
    async lockedFor(keys: string[]): Promise<number | null> {
      const waits = await Promise.all(keys.map(async (key) => {
        const result = await limiter.get(key);
        return result && result.consumedPoints >= points ? seconds(result.msBeforeNext) : 0;
      }));
      const longest = Math.max(0, ...waits);
      return longest > 0 ? longest : null;
    },

    /** Counts one failure on each key; the keys it locked (it just reached `points`). */
    async fail(keys: string[]): Promise<string[]> {
      const locked: string[] = [];
      for (const key of keys) {
        let consumed: number;
        try {
          consumed = (await limiter.consume(key)).consumedPoints;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          consumed = rejection.consumedPoints;
        }
        if (consumed === points) {
          await limiter.block(key, lockSeconds);
          locked.push(key);
        }
      }
      return locked;
    },
  };
}

export type FailureCounter = ReturnType<typeof createFailureCounter>;

/** The counter for this app: keys are an account (`admin:12`) or a keyed hash of an address, never the address. */
const createFailureLimits = ({ strapi }: { strapi: Core.Strapi }) => {
  let counter: { client: Redis; limits: FailureCounter } | undefined;
  const now = () => {
    const redis = getService(strapi, 'redis');
    const client = redis.client();
    // A new connection (after the redis service was closed) gets a counter of its own.
    if (counter?.client !== client) counter = { client, limits: createFailureCounter(client, redis.key('failures'), pluginConfig(strapi).failures) };
    return counter.limits;
  };
  const addressKey = (ip: string) => `ip:${crypto.createHmac('sha256', pluginConfig(strapi).addressKey).update(`address:${ip}`).digest('hex').slice(0, 32)}`;
  const keysOf = (account: { kind: string; id: number } | null, ip: string) => [...(account ? [`${account.kind}:${account.id}`] : []), addressKey(ip)];

  return {
    lockedFor: (account: { kind: string; id: number } | null, ip: string) => now().lockedFor(keysOf(account, ip)),
    /** Counts a wrong code for the account and the address; says which of them it locked. */
    async fail(account: { kind: string; id: number } | null, ip: string) {
      const locked = await now().fail(keysOf(account, ip));
      return { accountLocked: account !== null && locked.includes(`${account.kind}:${account.id}`), addressLocked: locked.some((key) => key.startsWith('ip:')) };
    },
  };
};

export type FailureLimitsService = ReturnType<typeof createFailureLimits>;
export default createFailureLimits;
