/**
 * Every kind of wrong answer counts toward an account's limit, not only a wrong six-digit code: a
 * code of the wrong shape, a wrong recovery code, a code sent to an expired or spent challenge, a
 * wrong password at the sign-in or when turning two-factor off. Ten of them, each from an address
 * of its own, lock the account: the right password then gets 429.
 */
import type { Core } from '@strapi/strapi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import type { TwoFactorEvent } from '../services/events';
import { codeFor, createApiUser, newAddress, stepNow, trustProxy } from './people';

describe('two-factor: wrong answers', () => {
  let strapi: Core.Strapi;
  let restoreProxy: () => void;
  let unsubscribe: () => void;
  const failed: number[] = [];

  beforeAll(async () => {
    strapi = await bootStrapi();
    restoreProxy = trustProxy(strapi);
    unsubscribe = strapi.eventHub.subscribe((name: string, payload: unknown) => {
      if (name === 'two-factor.failed') failed.push((payload as TwoFactorEvent).userId);
    }) as () => void;
  });
  afterAll(() => {
    unsubscribe?.();
    restoreProxy?.();
  });
  afterEach(() => vi.useRealTimers());

  const post = async (path: string, body: object, jwt?: string) =>
    (await http()).post(path).set({ 'X-Forwarded-For': newAddress(), ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}) }).send(body);

  it('counts malformed codes, wrong recovery codes, codes to expired or spent challenges and wrong passwords: ten lock the account', async () => {
    const user = await createApiUser(strapi);
    const { jwt } = (await post('/api/auth/local', { identifier: user.email, password: user.password })).body;
    const { secret } = (await post('/api/two-factor/enrol', {}, jwt)).body.data;
    expect((await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow() - 1) }, jwt)).status).toBe(200);
    const challenge = async () => {
      const res = await post('/api/auth/local', { identifier: user.email, password: user.password });
      expect(res.body.twoFactorRequired).toBe(true);
      return res.body.challenge as string;
    };
    const counted = () => failed.filter((id) => id === user.id).length;
    const wrong = async (answer: () => Promise<{ status: number }>, status = 400) => {
      const before = counted();
      expect((await answer()).status).toBe(status);
      expect(counted()).toBe(before + 1);
    };

    const live = await challenge();
    await wrong(() => post('/api/two-factor/verify', { challenge: live, code: '12345' }));
    await wrong(() => post('/api/two-factor/verify', { challenge: live, code: 'not a code!' }));
    await wrong(() => post('/api/two-factor/verify', { challenge: live, code: 'ABCDE-FGHJK' }));

    // A challenge past its five minutes: the code still counts against its account.
    const expiring = await challenge();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    await wrong(() => post('/api/two-factor/verify', { challenge: expiring, code: '000000' }));
    vi.useRealTimers();

    // A spent challenge (it served a sign-in): a code sent to it again counts too.
    const spent = await challenge();
    expect((await post('/api/two-factor/verify', { challenge: spent, code: await codeFor(secret, stepNow()) })).status).toBe(200);
    await wrong(async () => post('/api/two-factor/verify', { challenge: spent, code: await codeFor(secret, stepNow() + 1) }));

    // Wrong passwords: at the sign-in, and when turning two-factor off or asking for new recovery codes.
    await wrong(() => post('/api/auth/local', { identifier: user.email, password: 'Not-The-Password-1' }));
    await wrong(() => post('/api/two-factor/disable', { password: 'Not-The-Password-2', code: '000000' }, jwt));
    await wrong(() => post('/api/two-factor/recovery-codes', { password: 'Not-The-Password-3', code: '000000' }, jwt));
    await wrong(async () => post('/api/two-factor/verify', { challenge: await challenge(), code: '999999' }));
    await wrong(async () => post('/api/two-factor/verify', { challenge: await challenge(), code: 'zzzzzzzzzz' }));

    // Ten, from ten addresses: the account is locked, the right password included.
    const locked = await post('/api/auth/local', { identifier: user.email, password: user.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
  });

  it('still refuses a body of the wrong shape with 400 and counts nothing', async () => {
    const user = await createApiUser(strapi);
    const { jwt } = (await post('/api/auth/local', { identifier: user.email, password: user.password })).body;
    const { secret } = (await post('/api/two-factor/enrol', {}, jwt)).body.data;
    expect((await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow() - 1) }, jwt)).status).toBe(200);
    const { challenge } = (await post('/api/auth/local', { identifier: user.email, password: user.password })).body;
    const before = failed.length;
    for (const body of [{ challenge }, { challenge, code: 123456 }, { challenge, code: '' }, { challenge, code: 'x'.repeat(33) }]) {
      expect((await post('/api/two-factor/verify', body)).status).toBe(400);
    }
    expect(failed.length).toBe(before);
    expect((await post('/api/two-factor/verify', { challenge, code: await codeFor(secret, stepNow()) })).status).toBe(200);
  });
});
