import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';

/** The public content types whose reads are cached: a write to any of them makes every cached read stale. */
export const CACHED_TYPES = ['api::event.event', 'api::round.round', 'api::lineup-entry.lineup-entry', 'api::artist.artist', 'api::post.post'] as const;
const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

export type CachedRead = { etag: string; type: string; body: string };

/** The counter a cached read's key starts with. */
export const contentVersionKey = (prefix: string) => `${prefix}:content:version`;

/**
 * Public reads kept in Redis for a short time, per URL (its query holds the locale and populate)
 * and caller scope. Entries are keyed by the content's version, a counter every write to a cached
 * type moves on once committed, so a publish makes every older entry unreachable at once (they
 * expire by themselves). The version is read at most every `versionMs` per process. Redis not
 * ready: no cache, the read goes to the database.
 */
export function createContentCache(redis: () => Redis, prefix: string, { ttlSeconds, versionMs }: { ttlSeconds: number; versionMs: number }) {
  const versionKey = contentVersionKey(prefix);
  let version: { value: string; at: number } | undefined;
  // A write committed here: this process's reads wait for the version to move on (never an older read after it).
  let moving: Promise<unknown> | undefined;
  const ready = () => redis().status === 'ready';

  async function currentVersion(): Promise<string> {
    if (moving) await moving;
    if (version && Date.now() - version.at < versionMs) return version.value;
    version = { value: (await redis().get(versionKey)) ?? '0', at: Date.now() };
    return version.value;
  }
  const keyOf = async (scope: string, url: string) => `${prefix}:content:${await currentVersion()}:${scope}:${crypto.createHash('sha256').update(url).digest('hex').slice(0, 32)}`;

  return {
    async get(scope: string, url: string): Promise<CachedRead | null> {
      if (!ready()) return null;
      const hit = await redis().get(await keyOf(scope, url));
      return hit ? (JSON.parse(hit) as CachedRead) : null;
    },
    async set(scope: string, url: string, read: CachedRead) {
      if (!ready()) return;
      await redis().set(await keyOf(scope, url), JSON.stringify(read), 'EX', ttlSeconds);
    },
    /** Every cached read is stale: the next ones go to the database. */
    async invalidate() {
      version = undefined;
      if (!ready()) return;
      const move = redis().incr(versionKey);
      const settled = move.then(
        () => undefined,
        () => undefined
      );
      moving = settled;
      void settled.then(() => {
        if (moving === settled) moving = undefined;
      });
      await move;
    },
  };
}

export type ContentCache = ReturnType<typeof createContentCache>;

/** A strong ETag of a body. */
export const etagOf = (body: string) => `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * Moves the cache's version on after every committed write to a cached type, from any origin (admin,
 * API, GraphQL, a job, a script): a Document Service middleware, the hook every write goes through.
 */
export function invalidateOnWrites(strapi: Core.Strapi, invalidate: () => Promise<void>) {
  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (!(CACHED_TYPES as readonly string[]).includes(context.uid) || !WRITES.has(context.action)) return result;
    const run = () => void invalidate().catch((error: Error) => strapi.log.warn(`content cache: not invalidated: ${error.message}`));
    if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(run));
    else run();
    return result;
  });
}
