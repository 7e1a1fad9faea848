/**
 * Content-API tokens' budgets against the real app: each token has its own requests a minute
 * (announced on every answer with the IETF draft's RateLimit-Policy and RateLimit headers, 429 with
 * Retry-After past it), a budget of its own set from the admin API, rotation in which the previous
 * value works until its overlap ends, and requests per token counted for the admin.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import type { ListTokensResponse, RotateTokenResponse, TokenUsage } from '../../../shared/contracts/tokens';
import { BUDGETS_TABLE } from '../tokens/schema';

type Token = { id: number; name: string; accessKey: string };
let tokens = 0;

describe('API token budgets', () => {
  let strapi: Core.Strapi;
  let admin: { Authorization: string };

  const newToken = async (): Promise<Token> => {
    tokens += 1;
    const created = await strapi.service('admin::api-token').create({ name: `budget-${Date.now().toString(36)}-${tokens}`, type: 'read-only', lifespan: null });
    return { id: created.id, name: created.name, accessKey: created.accessKey };
  };
  const read = async (accessKey: string) => (await http()).get('/api/events?pagination[pageSize]=1').set({ Authorization: `Bearer ${accessKey}` });
  const usageOf = async (token: Token) => {
    const res = await (await http()).get('/ops/tokens').set(admin).expect(200);
    return (res.body as ListTokensResponse).data.find((row) => row.id === token.id) as TokenUsage;
  };

  beforeAll(async () => {
    strapi = await bootStrapi();
    admin = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
  });

  it('gives each token its budget, announced on every answer, and answers 429 with Retry-After past it; other tokens are not affected', async () => {
    const [limited, other] = [await newToken(), await newToken()];
    const set = await (await http()).put(`/ops/tokens/${limited.id}/budget`).set(admin).send({ perMinute: 3 }).expect(200);
    expect(set.body.data).toMatchObject({ id: limited.id, perMinute: 3, customBudget: true });

    for (let n = 1; n <= 3; n += 1) {
      const res = await read(limited.accessKey);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toBe('"token";q=3;w=60');
      expect(res.headers.ratelimit).toMatch(new RegExp(`^"token";r=${3 - n};t=\\d+$`));
    }
    const refused = await read(limited.accessKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers.ratelimit).toMatch(/^"token";r=0;t=\d+$/);
    expect(refused.body.error).toMatchObject({ status: 429, name: 'RateLimitError', details: { limit: 3 } });

    const fine = await read(other.accessKey);
    expect(fine.status).toBe(200);
    const defaultPerMinute = strapi.plugin('ops').service('tokens').defaultPerMinute() as number;
    expect(fine.headers['ratelimit-policy']).toBe(`"token";q=${defaultPerMinute};w=60`);

    // Back to the default: the budget is the default's size again.
    const reset = await (await http()).put(`/ops/tokens/${limited.id}/budget`).set(admin).send({ perMinute: null }).expect(200);
    expect(reset.body.data).toMatchObject({ perMinute: defaultPerMinute, customBudget: false });
  });

  it('rotates a token: the previous value works until its overlap ends, then only the new one', async () => {
    const token = await newToken();
    const rotated = await (await http()).post(`/ops/tokens/${token.id}/rotate`).set(admin).send({ overlapHours: 2 }).expect(200);
    const { accessKey, previousKeyValidUntil } = (rotated.body as RotateTokenResponse).data;
    expect(accessKey).toMatch(/^[0-9a-f]{256}$/);
    expect(accessKey).not.toBe(token.accessKey);
    const until = new Date(previousKeyValidUntil as string).getTime();
    expect(until - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    expect((await read(token.accessKey)).status).toBe(200);
    expect((await read(accessKey)).status).toBe(200);
    // Both values spend the one token's budget.
    expect((await read(token.accessKey)).headers.ratelimit).toMatch(/^"token";r=\d+;t=\d+$/);
    expect((await usageOf(token)).previousKeyValidUntil).toBe(previousKeyValidUntil);

    // Two hours later (the deadline moved, not slept): the previous value is refused, the new one works.
    await strapi.db.connection(BUDGETS_TABLE).where({ token_id: token.id }).update({ retired_key_expires_at: new Date(Date.now() - 1000).toISOString() });
    const old = await read(token.accessKey);
    expect(old.status).toBe(401);
    expect((await read(accessKey)).status).toBe(200);
    expect((await usageOf(token)).previousKeyValidUntil).toBeNull();

    // Without an overlap the previous value stops at once; the rotation is in the audit trail, never the value.
    const again = await (await http()).post(`/ops/tokens/${token.id}/rotate`).set(admin).send({ overlapHours: 0 }).expect(200);
    expect(again.body.data.previousKeyValidUntil).toBeNull();
    expect((await read(accessKey)).status).toBe(401);
    expect((await read(again.body.data.accessKey)).status).toBe(200);
    const entries = await strapi.db.connection('audit_trail_entries').where({ action: 'api-token.regenerate', document_id: String(token.id) });
    expect(entries).toHaveLength(2);
    expect(JSON.stringify(entries)).not.toContain(accessKey);
  });

  it('counts requests per token and shows when it was last used', async () => {
    const token = await newToken();
    const before = Date.now();
    for (let n = 0; n < 4; n += 1) expect((await read(token.accessKey)).status).toBe(200);
    const usage = await usageOf(token);
    expect(usage.requests).toEqual({ today: 4, last7Days: 4, last30Days: 4 });
    expect(new Date(usage.lastUsedAt as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(usage).toMatchObject({ name: token.name, type: 'read-only', expiresAt: null });
    // Earlier days add up into the week and the month, not today.
    const lastWeek = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await strapi.db.connection('ops_token_usage').insert({ token_id: token.id, day: lastWeek, requests: 10, last_used_at: `${lastWeek}T12:00:00.000Z` });
    expect((await usageOf(token)).requests).toEqual({ today: 4, last7Days: 14, last30Days: 14 });
  });

  it('refuses bad input with a 400 naming the field, unknown tokens with 404, and admins without the API-token permissions with 403', async () => {
    const token = await newToken();
    const bad = await (await http()).put(`/ops/tokens/${token.id}/budget`).set(admin).send({ perMinute: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^perMinute: /);
    await (await http()).put(`/ops/tokens/${token.id}/budget`).set(admin).send({ perMinute: 10, extra: true }).expect(400);
    await (await http()).post(`/ops/tokens/${token.id}/rotate`).set(admin).send({ overlapHours: 1000 }).expect(400);
    await (await http()).put('/ops/tokens/999999/budget').set(admin).send({ perMinute: 10 }).expect(404);
    await (await http()).post('/ops/tokens/abc/rotate').set(admin).send({}).expect(400);
    expect((await usageOf(token)).customBudget).toBe(false);

    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };
    await (await http()).get('/ops/tokens').set(editor).expect(403);
    await (await http()).post(`/ops/tokens/${token.id}/rotate`).set(editor).send({}).expect(403);
    await (await http()).get('/ops/tokens').expect(401);
    expect((await read(token.accessKey)).status).toBe(200);
  });
});
