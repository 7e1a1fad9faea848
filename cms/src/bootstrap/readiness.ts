import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

/**
 * GET /_ready: 200 when PostgreSQL (or SQLite) and Redis answer, 503 naming what does not.
 * Strapi's own /_health stays the liveness check.
 */
export function registerReadiness(strapi: Core.Strapi, redis: Redis) {
  const check = async (probe: () => Promise<unknown>) => {
    const started = Date.now();
    try {
      await withTimeout(probe(), 2000);
      return { ok: true, ms: Date.now() - started };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  };

  strapi.server.routes([
    {
      method: 'GET',
      path: '/_ready',
      handler: async (ctx: { status: number; body: unknown }) => {
        const [database, cache] = await Promise.all([
          check(() => strapi.db.connection.raw('select 1')),
          check(() => redis.ping()),
        ]);
        ctx.status = database.ok && cache.ok ? 200 : 503;
        ctx.body = { status: ctx.status === 200 ? 'ready' : 'unavailable', database, redis: cache };
      },
      config: { auth: false },
    },
  ]);
}
