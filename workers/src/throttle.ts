import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS_PREFIX } from './settings';

/**
 * Keeps every worker together under the providers' sending rates (Twilio long codes send about one
 * SMS a second, messaging services and short codes more): a shared token bucket in Redis.
 */
export function createThrottle({ redisUrl, env = process.env }: { redisUrl: string; env?: NodeJS.ProcessEnv }) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const limiter = (perSecond: number, channel: string) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${REDIS_PREFIX}:send-rate:${channel}`, points: perSecond, duration: 1 });
  const limiters = {
    sms: limiter(Number(env.SMS_SEND_RATE_PER_SECOND) || 10, 'sms'),
    email: limiter(Number(env.EMAIL_SEND_RATE_PER_SECOND) || 50, 'email'),
  };

  return {
    async wait(channel: 'sms' | 'email') {
      for (;;) {
        try {
          await limiters[channel].consume('provider');
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          await new Promise((resolve) => setTimeout(resolve, Math.max(rejection.msBeforeNext, 20)));
        }
      }
    },
    close: () => redis.quit(),
  };
}
