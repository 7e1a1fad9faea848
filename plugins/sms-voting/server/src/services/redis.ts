import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { pluginConfig } from '../utils/plugin-config';

/** The plugin's Redis connections: one for commands, one (made on first use) for pub/sub. */
const createRedis = ({ strapi }: { strapi: Core.Strapi }) => {
  let commands: Redis | undefined;
  let subscriber: Redis | undefined;
  // Commands issued in the same tick share one write: under load, rate-limit checks and leaderboard
  // updates from many requests go to Redis together.
  const connect = (autoPipelining: boolean) =>
    new Redis(pluginConfig(strapi).redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: autoPipelining });

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
