import Redis from 'ioredis';
import { redisUrlFromEnv } from '@ovation/workers/jobs';

export const redisUrl = () => redisUrlFromEnv();

/**
 * A Redis connection for request paths: an answer within a second or an error (the caller answers
 * 503), reconnecting by itself, and an outage logged now and then rather than thrown.
 */
export function connectRedis(url = redisUrl(), log: (message: string) => void = console.warn) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000, retryStrategy: (times) => Math.min(times * 100, 1_000) });
  let lastLogged = 0;
  redis.on('error', (error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log(`Redis: ${error.message}`);
  });
  return redis;
}

let shared: Redis | undefined;

/** The cms's own connection (readiness, request budgets), made on first use and closed by `closeSharedRedis`. */
export function sharedRedis() {
  // Only used inside the running app, where Strapi's logger is the global `strapi`.
  shared ??= connectRedis(redisUrl(), (message) => strapi.log.warn(message));
  return shared;
}

export function closeSharedRedis() {
  shared?.disconnect();
  shared = undefined;
}
