import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { pluginConfig } from '../utils/plugin-config';

/** The plugin's Redis connections: one for commands, one (made on first use) for pub/sub. */
const createRedis = ({ strapi }: { strapi: Core.Strapi }) => {
  let commands: Redis | undefined;
  let subscriber: Redis | undefined;
  // Commands issued in the same tick share one write: under load, rate-limit checks and leaderboard
  // updates from many requests go to Redis together.
  // Every command answers within a second or fails (the request then gets a 503): an outage never
  // hangs a request. The clients reconnect by themselves; the subscriber subscribes again.
  let lastWarned = 0;
  const connect = (autoPipelining: boolean) => {
    const redis = new Redis(pluginConfig(strapi).redisUrl, {
      maxRetriesPerRequest: 1,
      commandTimeout: 1_000,
      enableAutoPipelining: autoPipelining,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
    redis.on('error', (error) => {
      if (Date.now() - lastWarned < 10_000) return;
      lastWarned = Date.now();
      strapi.log.warn(`sms-voting: Redis: ${error.message}`);
    });
    return redis;
  };

  return {
    client() {
      commands ??= connect(true);
      return commands;
    },
    subscriber() {
      subscriber ??= connect(false);
      return subscriber;
    },
    key(...parts: (string | number)[]) {
      return [pluginConfig(strapi).redisPrefix, 'voting', ...parts].join(':');
    },
    async close() {
      await Promise.all([commands?.quit(), subscriber?.quit()].filter(Boolean));
      commands = subscriber = undefined;
    },
  };
};

export type RedisService = ReturnType<typeof createRedis>;
export default createRedis;
