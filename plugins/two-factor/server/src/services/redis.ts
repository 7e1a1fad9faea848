import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { pluginConfig } from '../utils/plugin-config';

/** The plugin's Redis connection (failure counters only), made on first use. */
const createRedis = ({ strapi }: { strapi: Core.Strapi }) => {
  let client: Redis | undefined;
  let lastWarned = 0;
  return {
    client() {
      // Every command answers within a second or fails: the limits then count in memory instead.
      if (client) return client;
      client = new Redis(pluginConfig(strapi).redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000, retryStrategy: (times) => Math.min(times * 100, 1_000) });
      client.on('error', (error) => {
        if (Date.now() - lastWarned < 10_000) return;
        lastWarned = Date.now();
        strapi.log.warn(`two-factor: Redis: ${error.message}`);
      });
      return client;
    },
    key(...parts: string[]) {
      return [pluginConfig(strapi).redisPrefix, 'two-factor', ...parts].join(':');
    },
    async close() {
      await client?.quit().catch(() => client?.disconnect());
      client = undefined;
    },
  };
};

export type RedisService = ReturnType<typeof createRedis>;
export default createRedis;
