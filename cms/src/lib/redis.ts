import Redis from 'ioredis';

export const redisUrl = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A Redis connection that fails fast instead of queueing commands while Redis is away. */
export function connectRedis(url = redisUrl()) {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
}
