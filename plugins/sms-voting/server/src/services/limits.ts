import type { Core } from '@strapi/strapi';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SmsVotingConfig } from '../config';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';

export type LimitName = keyof SmsVotingConfig['limits'];

/** Rate limits shared by every cms instance (rate-limiter-flexible on Redis). */
const createLimits = ({ strapi }: { strapi: Core.Strapi }) => {
  const limiters = new Map<LimitName, RateLimiterRedis>();

  const limiter = (name: LimitName) => {
    let found = limiters.get(name);
    if (!found) {
      const { points, duration } = pluginConfig(strapi).limits[name];
      found = new RateLimiterRedis({
        storeClient: getService(strapi, 'redis').client(),
        keyPrefix: getService(strapi, 'redis').key('limit', name),
        points,
        duration,
      });
      limiters.set(name, found);
    }
    return found;
  };

  return {
    /** Whether the key has spent all its points, without spending one (for limits spent only on failures). */
    async spent(name: LimitName, key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
      // The limiter's own counter, read with one GET (its get() is a MULTI of GET and PTTL on every
      // request): the time left is asked for only once the points are spent.
      const redisKey = limiter(name).getKey(key);
      const client = getService(strapi, 'redis').client();
      const used = Number((await client.get(redisKey)) ?? 0);
      if (used < limiter(name).points) return { allowed: true };
      const msLeft = await client.pttl(redisKey);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
    },

    /** Takes one point; `allowed: false` with the wait when the key has none left. */
    async take(name: LimitName, key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
      try {
        await limiter(name).consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },
  };
};

export type LimitsService = ReturnType<typeof createLimits>;
export default createLimits;
