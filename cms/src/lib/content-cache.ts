import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';

/** The public content types whose reads are cached: a write to any of them makes every cached read stale. */
export const CACHED_TYPES = ['api::event.event', 'api::round.round', 'api::lineup-entry.lineup-entry', 'api::artist.artist', 'api::post.post'] as const;
const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

export type CachedRead = { etag: string; type: string; body: string };
/** A read as this process answers it from memory: its body already encoded. */
export type KeptRead = { etag: string; type: string; body: Buffer };

/** How long a process answers from its own copy of an entry before asking Redis again, and how much it keeps (characters of body). */
const RECENT_MS = 1_000;
const RECENT_BYTES = 16 * 1024 * 1024;

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
  // The entries this process read or wrote in the last second, by version, scope and URL as they are
  // (no hashing for a read it already holds): a crowd asking for the same page costs one Redis read a
  // second, not one each.
  const recent = new Map<string, { read: KeptRead; until: number }>();
  // A write committed here: this process's reads wait for the version to move on (never an older read after it).
  let moving: Promise<unknown> | undefined;
  const ready = () => redis().status === 'ready';

  async function currentVersion(): Promise<string> {
    if (moving) await moving;
    if (version && Date.now() - version.at < versionMs) return version.value;
    version = { value: (await redis().get(versionKey)) ?? '0', at: Date.now() };
    return version.value;
  }
  const redisKey = (version: string, scope: string, url: string) => `${prefix}:content:${version}:${scope}:${crypto.createHash('sha256').update(url).digest('hex').slice(0, 32)}`;

  let recentBytes = 0;
  const forget = (key: string) => {
    recentBytes -= recent.get(key)?.read.body.length ?? 0;
    recent.delete(key);
  };
  const remember = (key: string, cached: CachedRead): KeptRead => {
    const read = { ...cached, body: Buffer.from(cached.body) };
    const now = Date.now();
    forget(key);
    // Past the cap, the expired go first, then the oldest.
    if (recentBytes + read.body.length > RECENT_BYTES) for (const [k, entry] of recent) if (entry.until <= now) forget(k);
    for (const k of recent.keys()) {
      if (recentBytes + read.body.length <= RECENT_BYTES) break;
      forget(k);
    }
    recent.set(key, { read, until: now + RECENT_MS });
    recentBytes += read.body.length;
    return read;
  };

  return {
    /**
     * The entry for this URL and scope at the content's current version (`read`, null on a miss), and
     * how to store one at that same version: a read of the database that a publish overtakes is kept
     * under the version it was read at, never under the publish's.
     */
    async lookup(scope: string, url: string): Promise<{ read: KeptRead | null; store(read: CachedRead): Promise<void> }> {
      const storeAt = (known?: string) => async (read: CachedRead) => {
        if (!ready()) return;
        // Redis was not ready when the read began (it has just connected): the version now, as good as it gets.
        const version = known ?? (await currentVersion());
        await redis().set(redisKey(version, scope, url), JSON.stringify(read), 'EX', ttlSeconds);
        remember(`${version} ${scope} ${url}`, read);
      };
      if (!ready()) return { read: null, store: storeAt() };
      const version = await currentVersion();
      const store = storeAt(version);
      const known = recent.get(`${version} ${scope} ${url}`);
      if (known && known.until > Date.now()) return { read: known.read, store };
      const hit = await redis().get(redisKey(version, scope, url));
      return { read: hit ? remember(`${version} ${scope} ${url}`, JSON.parse(hit) as CachedRead) : null, store };
    },
    /** Every cached read is stale: the next ones go to the database. */
    async invalidate() {
      version = undefined;
      recent.clear();
      recentBytes = 0;
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
    const run = () => void invalidate().catch((error: Error) => void strapi.log.warn(`content cache: not invalidated: ${error.message}`));
    if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(run));
    else run();
    return result;
  });
}
