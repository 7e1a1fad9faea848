import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import Redis from 'ioredis';
import { buildServer } from '../../scripts/lib/build';
import { createScratchDatabase } from '../../scripts/lib/database';
import { ensureRedis } from '../../scripts/lib/redis';
import { startS3Server } from '../../scripts/lib/s3-server';
import { mediaStorage, s3ClientConfig, type MediaStorage } from '../src/lib/media-storage';
import { startCdn } from './cdn';
import { CMS_DIR, freshSecrets, TEST_BUDGETS } from './environment';
import { redisUrlFromEnv } from '../../workers/src/settings';

/**
 * Runs once per `npm test`: compiles what the tests load, gives the run a database of its own
 * (a fresh PostgreSQL database when DATABASE_URL is set, else a fresh SQLite file) and its own
 * queue prefix in Redis, and removes them afterwards.
 */
export default async function setup() {
  await buildServer({ log: () => undefined });

  const runId = `${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  // Uploads in progress go to a directory of the run's own, so a test can watch what they write.
  const uploadTmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `ovation-test-uploads-${runId}-`));
  Object.assign(process.env, freshSecrets(), {
    NODE_ENV: 'test',
    SERVE_ADMIN: 'false',
    // The address Twilio signs inbound webhooks against (tests sign their requests for it).
    PUBLIC_URL: 'http://127.0.0.1:1337',
    SITE_URL: process.env.SITE_URL || 'http://127.0.0.1:4321',
    REDIS_PREFIX: `ovation-test-${runId}`,
    REDIS_URL: redisUrlFromEnv(),
    // Strapi must not pick up a developer's cms/.env.
    ENV_PATH: path.join(CMS_DIR, 'test', 'none.env'),
    STRAPI_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    // Every test talks to the shared app from 127.0.0.1: with the default per-client budgets the
    // files would spend one another's. The budgets themselves are tested on a cms process of their
    // own with the defaults (site/src/__tests__/fair-budgets.test.ts).
    ...Object.fromEntries(TEST_BUDGETS.map((name) => [name, '1000000'])),
    UPLOAD_TMP_DIR: uploadTmpDir,
  });

  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(uploadTmpDir, { recursive: true, force: true })];
  // Like `npm run dev`: use the Redis at REDIS_URL, or start the installed redis-server for the run.
  const redisServer = await ensureRedis(process.env.REDIS_URL as string);
  if (redisServer) cleanups.push(async () => void redisServer.kill('SIGTERM'));

  // Uploads go to a real S3 server for the whole run, as in production: a private bucket read through
  // a CDN (S3_CDN_URL). Tests of a bucket that signs its URLs and of an S3 outage start a server and a
  // cms of their own (cms/__tests__/s3-uploads.test.ts).
  const s3 = await startS3Server();
  cleanups.push(s3.stop);
  const bucket = `ovation-test-uploads-${runId.replace(/_/g, '-')}`;
  await s3.createBucket(bucket);
  const cdn = await startCdn(s3ClientConfig(mediaStorage(s3.env(bucket)) as MediaStorage), bucket);
  cleanups.push(cdn.close);
  Object.assign(process.env, s3.env(bucket), { S3_CDN_URL: cdn.url });

  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const database = await createScratchDatabase(baseUrl, 'test');
    process.env.DATABASE_URL = database.url;
    cleanups.push(database.drop);
  } else {
    const file = `.tmp/test-${runId}.db`;
    process.env.DATABASE_FILENAME = file;
    cleanups.push(async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(CMS_DIR, file + suffix), { force: true });
    });
  }

  cleanups.push(async () => {
    const redis = new Redis(process.env.REDIS_URL as string);
    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup failed:', error));
  };
}
