import type { Core } from '@strapi/strapi';
import { REDIS_PREFIX } from '@ovation/workers/jobs';
import { contentVersionKey, createContentCache, etagOf, invalidateOnWrites, type CachedRead, type ContentCache } from '../lib/content-cache';
import { sharedRedis } from '../lib/redis';

type Config = {
  /** Collection routes whose GETs are cached (their `/:id` below them too). */
  paths: string[];
  ttlSeconds: number;
  /** How long a process trusts the content version it read (how soon a publish is seen). */
  versionMs: number;
};

type Ctx = {
  method: string;
  path: string;
  url: string;
  status: number;
  body: unknown;
  state: Record<string, unknown>;
  get(header: string): string;
  set(header: string, value: string): void;
  type: string;
};

type Tokens = { resolve(authorization: string, options: { fresh: boolean }): Promise<{ id: number } | null> };

let cache: ContentCache | undefined;

/**
 * Hot public reads (`/api/events`, artists, posts, lineups, rounds) answered from Redis: per URL
 * and caller scope (the public, or one API token), invalidated by every committed write to those
 * types, with an ETag (304 on If-None-Match) and `Cache-Control`. Signed-in users' reads are not
 * cached. Redis away: every read goes to the database.
 */
const contentCache = (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  cache ??= createContentCache(sharedRedis, REDIS_PREFIX, config);
  const shared = cache;
  const cacheable = (path: string) => config.paths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const tokens = () => strapi.plugin('ops')?.service('tokens') as Tokens | undefined;
  const inflight = new Map<string, Promise<CachedRead | null>>();

  /** Whose view of the content a read is: the public's, one API token's, or (null) not cached. */
  async function scopeOf(ctx: Ctx): Promise<string | null> {
    const authorization = ctx.get('authorization');
    if (!authorization) return 'public';
    // Asked of the database each time: a cached read answers in Strapi's place, so a token revoked or
    // past its rotation's overlap must be refused at once, not after the budgets' 30-second memory.
    const token = await tokens()?.resolve(authorization, { fresh: true });
    return token ? `token:${token.id}` : null;
  }

  const answer = (ctx: Ctx, read: { etag: string; type: string; body: string | Buffer }, state: 'hit' | 'miss') => {
    ctx.set('ETag', read.etag);
    ctx.set('Cache-Control', 'public, max-age=0, must-revalidate');
    ctx.set('X-Cache', state);
    if (ctx.get('if-none-match') === read.etag) {
      ctx.status = 304;
      ctx.body = null;
      return;
    }
    ctx.status = 200;
    ctx.type = read.type;
    ctx.body = read.body;
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    // CONTENT_CACHE_SECONDS=0 turns the cache off (writes still move the version on).
    if (config.ttlSeconds <= 0 || ctx.method !== 'GET' || !cacheable(ctx.path)) return next();
    const scope = await scopeOf(ctx).catch(() => null);
    if (!scope) return next();
    const entry = await shared.lookup(scope, ctx.url).catch(() => null);
    if (entry?.read) return answer(ctx, entry.read, 'hit');
    // One read of the database per URL and caller at a time in this process: when an entry expires
    // under load, the requests that missed with it wait for the first one's answer (no stampede).
    const key = `${scope} ${ctx.url}`;
    const leader = inflight.get(key);
    if (leader) {
      const read = await leader;
      if (read) return answer(ctx, read, 'hit');
      return next();
    }
    let settle: (read: CachedRead | null) => void = () => undefined;
    inflight.set(key, new Promise((resolve) => (settle = resolve)));
    let read: CachedRead | null = null;
    try {
      await next();
      if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object') return;
      const body = JSON.stringify(ctx.body);
      read = { etag: etagOf(body), type: 'application/json; charset=utf-8', body };
      await entry?.store(read).catch(() => undefined);
      answer(ctx, read, 'miss');
    } finally {
      inflight.delete(key);
      settle(read);
    }
  };
};

/** What the voting plugin emits once a round opened or closed (plugins/sms-voting `utils/events.ts`). */
const ROUND_CHANGED = 'sms-voting.round.changed';
/** What the artist portal emits once an artist's claim status changed (plugins/artist-portal `utils/events.ts`). */
const CLAIM_STATUS_CHANGED = 'artist-portal.claim-status.changed';

/**
 * Registers the invalidation (in the app's register phase, before any write; a worker's writes move
 * the version too): every Document Service write to a cached type, and rounds opened or closed by
 * the voting plugin (which writes their state directly), and artists' claim status (written directly by
 * the artist portal).
 */
export const registerContentCacheInvalidation = (strapi: Core.Strapi) => {
  const invalidate = async () => {
    if (cache) return cache.invalidate();
    const redis = sharedRedis();
    if (redis.status === 'ready') await redis.incr(contentVersionKey(REDIS_PREFIX));
  };
  const warn = (error: Error) => void strapi.log.warn(`content cache: not invalidated: ${error.message}`);
  invalidateOnWrites(strapi, invalidate);
  strapi.eventHub.on(ROUND_CHANGED, () => invalidate().catch(warn));
  strapi.eventHub.on(CLAIM_STATUS_CHANGED, () => invalidate().catch(warn));
};

export default contentCache;
