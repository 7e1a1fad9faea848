import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { bucketProbe, mediaStorage } from '../lib/media-storage';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

/**
 * The job queue at a glance, for whoever is looking (it does not decide readiness): jobs waiting,
 * how long the oldest due one has waited, and dead jobs (each needs a person).
 */
async function backlog(strapi: Core.Strapi) {
  const jobs = () => strapi.db.connection('ops_jobs');
  const now = new Date();
  const [queued, dead, oldest] = await Promise.all([
    jobs().where({ state: 'queued' }).count({ n: '*' }).first(),
    jobs().where({ state: 'dead' }).count({ n: '*' }).first(),
    jobs().where({ state: 'queued' }).where('due_at', '<=', now).min({ due: 'due_at' }).first(),
  ]);
  const due = oldest?.due ? new Date(oldest.due as string) : null;
  return { queued: Number(queued?.n ?? 0), dead: Number(dead?.n ?? 0), oldestDueSeconds: due ? Math.max(0, Math.round((now.getTime() - due.getTime()) / 1000)) : 0 };
}

/**
 * GET /_ready: 200 when PostgreSQL (or SQLite), Redis and (when uploads go there) the S3 bucket
 * answer, 503 naming what does not.
 * Strapi's own /_health stays the liveness check.
 */
export function registerReadiness(strapi: Core.Strapi, redis: Redis) {
  const check = async (probe: () => Promise<unknown>) => {
    const started = Date.now();
    try {
      await withTimeout(probe(), 2000);
      return { ok: true, ms: Date.now() - started };
    } catch (error) {
      return { ok: false, error: (error as Error).message || (error as Error).name };
    }
  };
  const storage = mediaStorage();
  const headBucket = storage && bucketProbe(storage, 1500);

  strapi.server.routes([
    {
      method: 'GET',
      path: '/_ready',
      handler: async (ctx: { status: number; body: unknown }) => {
        const [database, cache, s3, jobs] = await Promise.all([
          check(() => strapi.db.connection.raw('select 1')),
          check(() => redis.ping()),
          headBucket ? check(headBucket) : undefined,
          backlog(strapi).catch(() => null),
        ]);
        ctx.status = database.ok && cache.ok && (s3?.ok ?? true) ? 200 : 503;
        ctx.body = { status: ctx.status === 200 ? 'ready' : 'unavailable', database, redis: cache, ...(s3 ? { s3 } : {}), jobs };
      },
      config: { auth: false },
    },
  ]);
}
