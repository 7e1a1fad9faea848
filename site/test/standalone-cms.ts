/**
 * The real CMS for scripts that run outside vitest (the Lighthouse benchmark, a local demo): the
 * environment vitest's global setup gives the tests (fresh secrets, a throwaway database: PostgreSQL
 * when DATABASE_URL is set, else SQLite; a Redis prefix of its own), then the app on a real port, seeded with the demo.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { buildServer } from '../../scripts/lib/build';
import { createScratchDatabase } from '../../scripts/lib/database';
import { ensureRedis } from '../../scripts/lib/redis';
import { freshSecrets } from '../../cms/test/environment';
import { SITE_DIR } from './site-server';
import { redisUrlFromEnv } from '../../workers/src/settings';

// Not environment.ts's CMS_DIR: it is computed from __dirname, which is not that file's folder when
// an ES module (this one, under tsx) imports it.
const CMS_DIR = path.join(SITE_DIR, '..', 'cms');

export interface StandaloneCms {
  url: string;
  stop: () => Promise<void>;
}

export async function startStandaloneCms(): Promise<StandaloneCms> {
  await buildServer({ log: () => undefined });
  const runId = `${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const database = `.tmp/site-${runId}.db`;
  Object.assign(process.env, freshSecrets(), {
    NODE_ENV: 'test',
    SERVE_ADMIN: 'false',
    PUBLIC_URL: 'http://127.0.0.1:1337',
    REDIS_PREFIX: `ovation-site-${runId}`,
    REDIS_URL: redisUrlFromEnv(),
    ENV_PATH: path.join(CMS_DIR, 'test', 'none.env'),
    STRAPI_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  });
  // Like the tests: a fresh PostgreSQL database when DATABASE_URL is set, else a fresh SQLite file.
  const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'site') : undefined;
  if (scratch) {
    process.env.DATABASE_URL = scratch.url;
  } else {
    process.env.DATABASE_FILENAME = database;
  }
  const redisServer = await ensureRedis(process.env.REDIS_URL as string);

  const { bootStrapi, cmsUrl } = await import('../../cms/test/strapi');
  const { seedDemo } = await import('../../cms/src/seed');
  const app = await bootStrapi();
  // Strapi exits on SIGINT/SIGTERM by itself, which would leave the throwaway database behind:
  // the caller handles signals and calls stop().
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  const url = await cmsUrl();
  await seedDemo(app);

  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.destroy().catch((error: Error) => console.error(`cms did not stop cleanly: ${error.message}`));
      if (scratch) {
        await scratch.drop();
      } else {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(CMS_DIR, database + suffix), { force: true });
      }
      const redis = new Redis(process.env.REDIS_URL as string);
      const keys = await redis.keys(`${process.env.REDIS_PREFIX}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      redisServer?.kill('SIGTERM');
    },
  };
}
