import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { pluginConfig } from '../utils/plugin-config';

/**
 * Lua the plugin runs on every vote, defined on the command connection: sent once, then called by
 * its SHA (EVALSHA), and atomic without MULTI/EXEC (which costs a transaction's bookkeeping in
 * ioredis on each call).
 */
const SCRIPTS = {
  /** Counts one in a window's key, which expires with the window: the new count. */
  countInWindow: {
    numberOfKeys: 1,
    lua: `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`,
  },
  /** Counts a vote into a leaderboard that exists (a missing one is rebuilt from PostgreSQL on the next read). */
  incrementIfPresent: {
    numberOfKeys: 1,
    lua: `if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('ZINCRBY', KEYS[1], 1, ARGV[1])
end
return false`,
  },
};

export type VotingRedis = Redis & {
  countInWindow(key: string, windowMs: number): Promise<number>;
  incrementIfPresent(key: string, member: string): Promise<string | null>;
};

/** The plugin's Redis connections: one for commands, one (made on first use) for pub/sub. */
const createRedis = ({ strapi }: { strapi: Core.Strapi }) => {
  let commands: VotingRedis | undefined;
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
    client(): VotingRedis {
      if (!commands) {
        const redis = connect(true);
        for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, script);
        commands = redis as VotingRedis;
      }
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
