import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { TokenUsage } from '../../../shared/contracts/tokens';
import { BUDGETS_TABLE, installTokenTables, USAGE_TABLE } from '../tokens/schema';

type ApiToken = { id: number; name: string; type: string; kind?: string | null; expiresAt: string | null; lastUsedAt: string | null };
type ApiTokenService = {
  hash(accessKey: string): string;
  getById(id: number, options?: object): Promise<ApiToken | null>;
  regenerate(id: number): Promise<{ accessKey: string }>;
};
type BudgetRow = { token_id: number; per_minute: number | null; retired_key_hash: string | null; retired_key_expires_at: string | null };
type UsageRow = { token_id: number; day: string; requests: number | string; last_used_at: string };

/** A request's API token, for its budget: by its id, with its requests a minute (its own budget or the default). */
export type ResolvedToken = { id: number; perMinute: number };

/** How long a resolved Authorization header is remembered (a budget change or rotation here forgets it at once; other instances within this). */
const RESOLVE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;
/** Counts are added up in memory and written every few seconds: no write per request. */
const FLUSH_MS = 5_000;
const DAY_MS = 86_400_000;

const API_TOKEN = 'admin::api-token';
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const isContentApi = (token: { kind?: string | null }) => !token.kind || token.kind === 'content-api';
const expired = (token: { expiresAt: string | Date | null }) => token.expiresAt !== null && new Date(token.expiresAt).getTime() <= Date.now();

/**
 * Budgets for content-API tokens (what Strapi lacks): a per-token request budget a minute, counted
 * by the rate-limit middleware; rotation with an overlap, in which the previous value keeps working
 * for a chosen time; and requests per token per day with the last request's time.
 */
const createTokens = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const apiTokens = () => strapi.service('admin::api-token-content-api') as unknown as ApiTokenService;
  const resolved = new Map<string, { until: number; token: ResolvedToken | null }>();
  const pending = new Map<string, { tokenId: number; day: string; requests: number; at: string }>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  const budgetRow = async (tokenId: number) => (await knex()(BUDGETS_TABLE).where({ token_id: tokenId }).first()) as BudgetRow | undefined;

  /** The token whose previous value (within its overlap) hashes to `hash`. */
  async function retiredTokenId(hash: string): Promise<number | null> {
    const row = (await knex()(BUDGETS_TABLE).where({ retired_key_hash: hash }).andWhere('retired_key_expires_at', '>', new Date().toISOString()).first()) as BudgetRow | undefined;
    return row ? row.token_id : null;
  }

  async function lookup(hash: string): Promise<ResolvedToken | null> {
    let token = (await strapi.db.query(API_TOKEN).findOne({ where: { accessKey: hash }, select: ['id', 'kind', 'expiresAt'] })) as ApiToken | null;
    if (!token) {
      const id = await retiredTokenId(hash);
      token = id === null ? null : ((await strapi.db.query(API_TOKEN).findOne({ where: { id }, select: ['id', 'kind', 'expiresAt'] })) as ApiToken | null);
    }
    if (!token || !isContentApi(token) || expired(token)) return null;
    return { id: token.id, perMinute: (await budgetRow(token.id))?.per_minute ?? service.defaultPerMinute() };
  }

  async function flush() {
    if (!pending.size) return;
    const batch = [...pending.values()];
    pending.clear();
    try {
      for (const { tokenId, day, requests, at } of batch) {
        await knex()(USAGE_TABLE)
          .insert({ token_id: tokenId, day, requests, last_used_at: at })
          .onConflict(['token_id', 'day'])
          .merge({ requests: knex().raw(`${USAGE_TABLE}.requests + excluded.requests`), last_used_at: knex().raw('excluded.last_used_at') });
      }
    } catch (error) {
      // The database is away: keep the counts for the next flush (a count is worth less than a request).
      for (const item of batch) count(item.tokenId, item.requests, item.day, item.at);
      strapi.log.warn(`ops: token usage not written yet: ${(error as Error).message}`);
    }
  }

  function count(tokenId: number, requests = 1, day = dayOf(new Date()), at = new Date().toISOString()) {
    const key = `${tokenId}|${day}`;
    const item = pending.get(key);
    if (item) {
      item.requests += requests;
      if (at > item.at) item.at = at;
    } else pending.set(key, { tokenId, day, requests, at });
    timer ??= setInterval(() => void service.flush(), FLUSH_MS).unref();
  }

  const forget = () => resolved.clear();

  async function usageOf(tokens: ApiToken[]): Promise<TokenUsage[]> {
    await service.flush();
    const today = dayOf(new Date());
    const since7 = dayOf(new Date(Date.now() - 6 * DAY_MS));
    const since30 = dayOf(new Date(Date.now() - 29 * DAY_MS));
    const ids = tokens.map((token) => token.id);
    const [budgets, usage] = await Promise.all([
      knex()(BUDGETS_TABLE).whereIn('token_id', ids) as Promise<BudgetRow[]>,
      knex()(USAGE_TABLE).whereIn('token_id', ids).andWhere('day', '>=', since30) as Promise<UsageRow[]>,
    ]);
    const lastUsed = (await knex()(USAGE_TABLE).whereIn('token_id', ids).groupBy('token_id').select('token_id').max({ at: 'last_used_at' })) as { token_id: number; at: string }[];
    const now = new Date().toISOString();
    return tokens.map((token) => {
      const budget = budgets.find((row) => row.token_id === token.id);
      const rows = usage.filter((row) => row.token_id === token.id);
      const sum = (from: string) => rows.filter((row) => row.day >= from).reduce((total, row) => total + Number(row.requests), 0);
      const ours = lastUsed.find((row) => row.token_id === token.id)?.at ?? null;
      const strapis = token.lastUsedAt ? new Date(token.lastUsedAt).toISOString() : null;
      const previous = budget?.retired_key_expires_at && budget.retired_key_expires_at > now ? budget.retired_key_expires_at : null;
      return {
        id: token.id,
        name: token.name,
        type: token.type,
        expiresAt: token.expiresAt ? new Date(token.expiresAt).toISOString() : null,
        lastUsedAt: [ours, strapis].filter(Boolean).sort().pop() ?? null,
        perMinute: budget?.per_minute ?? service.defaultPerMinute(),
        customBudget: budget?.per_minute != null,
        requests: { today: sum(today), last7Days: sum(since7), last30Days: sum(since30) },
        previousKeyValidUntil: previous,
      };
    });
  }

  async function contentApiToken(id: number): Promise<ApiToken> {
    const token = (await strapi.db.query(API_TOKEN).findOne({ where: { id }, select: ['id', 'name', 'type', 'kind', 'expiresAt', 'lastUsedAt'] })) as ApiToken | null;
    if (!token || !isContentApi(token)) throw new errors.NotFoundError('No such API token');
    return token;
  }

  const upsertBudget = (tokenId: number, values: Partial<BudgetRow>) =>
    knex()(BUDGETS_TABLE).insert({ token_id: tokenId, ...values }).onConflict('token_id').merge(values);

  const service = {
    install: () => installTokenTables(knex()),

    /** Requests a minute a token without a budget of its own may make (RATE_LIMIT_TOKEN_PER_MINUTE). */
    defaultPerMinute(): number {
      return strapi.config.get('plugin::ops.tokenPerMinute', 600) as number;
    },

    /**
     * The API token an `Authorization: Bearer …` header carries (current or, within its overlap,
     * previous value), or null. Remembered for 30 s, for budgets; `fresh` asks the database, for
     * whoever answers in Strapi's place (the content cache) and must not outlive a revoked value.
     */
    async resolve(authorization: string, { fresh = false }: { fresh?: boolean } = {}): Promise<ResolvedToken | null> {
      const presented = /^bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
      if (!presented) return null;
      const hash = apiTokens().hash(presented);
      const cached = resolved.get(hash);
      if (!fresh && cached && cached.until > Date.now()) return cached.token;
      const token = await lookup(hash);
      if (resolved.size >= CACHE_MAX) resolved.clear();
      resolved.set(hash, { until: Date.now() + RESOLVE_TTL_MS, token });
      return token;
    },

    /** The token a previous value (within its overlap) belongs to, as Strapi's token service returns it, for its auth strategy. */
    async retired(hash: string, options?: object): Promise<ApiToken | null> {
      const id = await retiredTokenId(hash);
      return id === null ? null : apiTokens().getById(id, options);
    },

    /** One request made with `tokenId` (written with others every few seconds). */
    count,
    flush(): Promise<void> {
      flushing = (flushing ?? Promise.resolve()).then(flush);
      return flushing;
    },

    async list(): Promise<TokenUsage[]> {
      const tokens = (await strapi.db.query(API_TOKEN).findMany({
        where: { $or: [{ kind: 'content-api' }, { kind: null }] },
        select: ['id', 'name', 'type', 'kind', 'expiresAt', 'lastUsedAt'],
        orderBy: { name: 'asc' },
      })) as ApiToken[];
      return usageOf(tokens);
    },

    async get(id: number): Promise<TokenUsage> {
      return (await usageOf([await contentApiToken(id)]))[0];
    },

    /** Gives token `id` a budget of its own (requests a minute), or back the default with null. */
    async setBudget(id: number, perMinute: number | null): Promise<TokenUsage> {
      await contentApiToken(id);
      await upsertBudget(id, { per_minute: perMinute });
      forget();
      return service.get(id);
    },

    /**
     * A new value for token `id`; the previous one keeps working for `overlapHours` (0: not at all),
     * so a partner rolls the new one out without a gap. Strapi's regenerate makes the new value (and
     * the audit trail records it); the previous value's hash is kept here until its deadline.
     */
    async rotate(id: number, overlapHours: number): Promise<{ accessKey: string; previousKeyValidUntil: string | null }> {
      const rotated = await strapi.db.transaction(async () => {
        await contentApiToken(id);
        const { accessKey: previousHash } = (await strapi.db.query(API_TOKEN).findOne({ where: { id }, select: ['accessKey'] })) as { accessKey: string };
        const { accessKey } = await apiTokens().regenerate(id);
        const until = overlapHours > 0 ? new Date(Date.now() + overlapHours * 3_600_000).toISOString() : null;
        await upsertBudget(id, { retired_key_hash: until ? previousHash : null, retired_key_expires_at: until });
        return { accessKey, previousKeyValidUntil: until };
      });
      // Once committed: a request resolving the token before then would have remembered the old state.
      forget();
      return rotated;
    },

    async shutdown() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await service.flush();
    },
  };
  return service;
};

export type TokensService = ReturnType<typeof createTokens>;
export default createTokens;
