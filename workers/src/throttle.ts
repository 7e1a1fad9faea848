import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { throttledLog } from './durable/lane';
import { REDIS_PREFIX } from './settings';

/**
 * Keeps every worker together under the providers' sending rates (Twilio long codes send about one
 * SMS a second, messaging services and short codes more): a shared token bucket in Redis. A rate of
 * 0 turns the throttle off for that channel.
 */
export function createThrottle({ redisUrl, env = process.env, log = console.warn }: { redisUrl: string; env?: NodeJS.ProcessEnv; log?: (message: string) => void }) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2_000, retryStrategy: (times) => Math.min(times * 100, 1_000) });
  const warn = throttledLog(log);
  redis.on('error', (error) => warn(`send-rate throttle: Redis: ${error.message}`));
  const rate = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  const limiter = (perSecond: number, channel: string) =>
    perSecond > 0 ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${REDIS_PREFIX}:send-rate:${channel}`, points: perSecond, duration: 1 }) : null;
  const limiters = {
    sms: limiter(rate(env.SMS_SEND_RATE_PER_SECOND, 10), 'sms'),
    email: limiter(rate(env.EMAIL_SEND_RATE_PER_SECOND, 50), 'email'),
  };

  return {
    /** Resolves when one more message may go out on this channel; rejects when Redis is away. */
    async wait(channel: 'sms' | 'email') {
      const bucket = limiters[channel];
      if (!bucket) return;
      for (;;) {
        try {
          await bucket.consume('provider');
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          await new Promise((resolve) => setTimeout(resolve, Math.max(rejection.msBeforeNext, 20)));
        }
      }
    },
    close: () => redis.quit().catch(() => redis.disconnect()),
  };
}
