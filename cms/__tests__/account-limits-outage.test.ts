/**
 * Redis stopped in the middle of sign-ins does not open the door: on a cms of the test's own, whose
 * Redis (a redis-server of the test's own) is stopped after a sign-in's password step, every account
 * limit still holds, counted in that process's memory (the insurance limiters): password-reset
 * requests per address and per IP, failed admin sign-ins per IP, and wrong codes per account.
 */
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCms, type CmsProcess } from '../../scripts/lib/cms-process';
import { freePort } from '../../scripts/lib/ports';
import { startRedisServer, type RedisServer } from '../../scripts/lib/redis-server';
import { codeFor, createApiUser, stepNow } from '../../plugins/two-factor/server/src/__tests__/people';
import { createAdminUser } from '../test/admin';
import { fromAddress, nextAddress } from '../test/clients';
import { bootStrapi } from '../test/strapi';

const RUN = Date.now().toString(36);

describe('account limits with Redis stopped', () => {
  let strapi: Core.Strapi;
  let redis: RedisServer;
  let cms: CmsProcess;

  beforeAll(async () => {
    strapi = await bootStrapi();
    redis = await startRedisServer();
    // The run's database, this test's Redis.
    cms = await startCms({ REDIS_URL: redis.url }, await freePort());
  }, 240_000);
  afterAll(async () => {
    await cms?.stop();
    await redis?.stop();
  });

  const post = (path: string, body: object, address = nextAddress()) =>
    fetch(`${cms.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...fromAddress(address) }, body: JSON.stringify(body) });

  it('still limits reset requests, failed admin sign-ins and wrong codes, counted in memory', async () => {
    const user = await createApiUser(strapi);
    const owner = { kind: 'user' as const, id: user.id };
    const factors = strapi.plugin('two-factor').service('factors');
    const { secret } = await factors.begin(owner, user.email);
    await factors.confirm(owner, await codeFor(secret, stepNow() - 1));
    const admins = await Promise.all(Array.from({ length: 11 }, () => createAdminUser(strapi)));

    // Password steps while Redis is up; then Redis goes away before the codes.
    const challenges: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = await post('/api/auth/local', { identifier: user.email, password: user.password });
      expect(started.status).toBe(200);
      challenges.push(((await started.json()) as { challenge: string }).challenge);
    }
    await redis.stop();

    // Ten wrong codes from ten addresses lock the account: the right code, then the password, get 429.
    for (let i = 0; i < 10; i += 1) expect((await post('/api/two-factor/verify', { challenge: challenges[i < 5 ? 0 : 1], code: '000000' })).status).toBe(400);
    const right = await post('/api/two-factor/verify', { challenge: challenges[2], code: await codeFor(secret, stepNow()) });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBeTruthy();
    expect((await post('/api/auth/local', { identifier: user.email, password: user.password })).status).toBe(429);

    // Reset requests: 3 an hour for one email, from any address; 3 an hour from one address, for any email.
    for (let i = 0; i < 3; i += 1) expect((await post('/api/auth/forgot-password', { email: user.email })).status).toBe(200);
    const fourth = await post('/api/auth/forgot-password', { email: user.email });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    const sprayer = nextAddress();
    for (let i = 0; i < 3; i += 1) expect((await post('/api/auth/forgot-password', { email: `nobody-${RUN}-${i}@ovation.test` }, sprayer)).status).toBe(200);
    expect((await post('/api/auth/forgot-password', { email: `nobody-${RUN}-9@ovation.test` }, sprayer)).status).toBe(429);

    // Failed admin sign-ins from one address, across accounts: the eleventh is refused, right password or not.
    const spraying = nextAddress();
    for (const admin of admins.slice(0, 10)) expect((await post('/admin/login', { email: admin.email, password: 'Sprayed-Password-1' }, spraying)).status).toBe(400);
    const eleventh = await post('/admin/login', { email: admins[10].email, password: admins[10].password }, spraying);
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers.get('retry-after')).toBeTruthy();
  });
});
