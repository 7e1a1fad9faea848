/**
 * API users (users-permissions) through the real app: enrolment with the JWT, `POST /api/auth/local`
 * answering a challenge instead of a JWT, `POST /api/two-factor/verify` answering the JWT, recovery
 * codes, the limits (a challenge's five wrong codes, an account's and an address's ten), Redis
 * stopped in the middle, bad input, turning off, and the events every step emits.
 */
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../../../../scripts/lib/redis-server';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import type { TwoFactorEvent } from '../services/events';
import { getService } from '../utils/get-service';
import { codeFor, createApiUser, newAddress, stepNow, trustProxy, type ApiUser } from './people';

type Enrolled = ApiUser & { jwt: string; secret: string; recoveryCodes: string[]; lastStep: number };

describe('two-factor: API users', () => {
  let strapi: Core.Strapi;
  let restoreProxy: () => void;
  let unsubscribe: () => void;
  const events: { name: string; payload: TwoFactorEvent }[] = [];

  beforeAll(async () => {
    strapi = await bootStrapi();
    restoreProxy = trustProxy(strapi);
    unsubscribe = strapi.eventHub.subscribe((name: string, payload: unknown) => {
      if (name.startsWith('two-factor.')) events.push({ name, payload: payload as TwoFactorEvent });
    }) as () => void;
  });
  afterAll(() => {
    unsubscribe?.();
    restoreProxy?.();
  });

  const eventsOf = (user: { id: number }) => events.filter((event) => event.payload.userKind === 'user' && event.payload.userId === user.id).map((event) => event.name);
  const post = async (path: string, body: object, from: string, jwt?: string) =>
    (await http()).post(path).set({ 'X-Forwarded-For': from, ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}) }).send(body);

  /** The next code the app would show that the server has not accepted yet (waits for the clock when it must). */
  async function nextCode(user: Enrolled) {
    let step = Math.max(user.lastStep + 1, stepNow());
    while (step > stepNow() + 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      step = Math.max(user.lastStep + 1, stepNow());
    }
    user.lastStep = step;
    return codeFor(user.secret, step);
  }

  async function signInWithPassword(user: ApiUser, from: string) {
    const res = await post('/api/auth/local', { identifier: user.email, password: user.password }, from);
    expect(res.status).toBe(200);
    return res.body as { jwt?: string; twoFactorRequired?: boolean; challenge?: string };
  }

  async function enrol(from = newAddress()): Promise<Enrolled> {
    const user = await createApiUser(strapi);
    const { jwt } = await signInWithPassword(user, from);
    const started = await post('/api/two-factor/enrol', {}, from, jwt);
    expect(started.status).toBe(200);
    const enrolled: Enrolled = { ...user, jwt: jwt!, secret: started.body.data.secret, recoveryCodes: [], lastStep: stepNow() - 2 };
    const confirmed = await post('/api/two-factor/confirm', { code: await nextCode(enrolled) }, from, jwt);
    expect(confirmed.status).toBe(200);
    enrolled.recoveryCodes = confirmed.body.data.recoveryCodes;
    return enrolled;
  }

  it('enrols with the JWT: the secret and its otpauth URI, a first code confirms and returns 10 recovery codes once; kept sealed and hashed', async () => {
    const from = newAddress();
    const user = await createApiUser(strapi);
    const { jwt } = await signInWithPassword(user, from);
    expect(jwt).toEqual(expect.any(String));
    expect((await (await http()).get('/api/two-factor/me').set({ Authorization: `Bearer ${jwt}` })).body.data).toEqual({ enrolled: false, recoveryCodesLeft: 0 });
    expect((await post('/api/two-factor/enrol', {}, from)).status).toBe(403);

    const started = await post('/api/two-factor/enrol', {}, from, jwt);
    expect(started.status).toBe(200);
    const { secret, otpauthUri } = started.body.data;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);

    // A wrong first code (two steps old) confirms nothing: sign-ins still take the password alone.
    const wrong = await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow() - 3) }, from, jwt);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError', message: expect.stringMatching(/Invalid code/) } });
    expect((await signInWithPassword(user, from)).jwt).toEqual(expect.any(String));

    const confirmed = await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow()) }, from, jwt);
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Shown once: confirming again and enrolling again are refused while it is on.
    expect((await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow() + 1) }, from, jwt)).status).toBe(400);
    expect((await post('/api/two-factor/enrol', {}, from, jwt)).status).toBe(400);
    expect((await (await http()).get('/api/two-factor/me').set({ Authorization: `Bearer ${jwt}` })).body.data).toEqual({ enrolled: true, recoveryCodesLeft: 10 });

    const factor = await strapi.db.connection('two_factor_factors').where({ user_kind: 'user', user_id: user.id }).first();
    expect(factor.secret_sealed).not.toContain(secret);
    const stored = await strapi.db.connection('two_factor_recovery_codes').where({ user_kind: 'user', user_id: user.id });
    expect(stored).toHaveLength(10);
    const table = JSON.stringify(stored);
    for (const code of codes) expect(table).not.toContain(code.replace('-', ''));
    // The wrong first code counted as a wrong answer.
    expect(eventsOf(user)).toEqual(['two-factor.failed', 'two-factor.enrolled']);
    expect(events.find((event) => event.payload.userId === user.id)?.payload).toMatchObject({ ip: from, by: null });
  });

  it('signs in only after a code: the password answers a challenge and no JWT; the code answers what /api/auth/local would; one sign-in per challenge; a used code is refused', async () => {
    const from = newAddress();
    const user = await enrol(from);
    const first = await signInWithPassword(user, from);
    expect(first).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
    // A wrong password is refused as before, in the same words.
    const wrongPassword = await post('/api/auth/local', { identifier: user.email, password: 'Not-The-Password-9' }, from);
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid identifier or password' });

    const code = await nextCode(user);
    const verified = await post('/api/two-factor/verify', { challenge: first.challenge, code }, from);
    expect(verified.status).toBe(200);
    // Sessions are in Strapi's refresh mode: an access token and the session's refresh token, as /api/auth/local answers.
    expect(verified.body).toEqual({ jwt: expect.any(String), refreshToken: expect.any(String), user: expect.objectContaining({ id: user.id, email: user.email }) });
    expect(verified.body.user.password).toBeUndefined();
    const me = await (await http()).get('/api/users/me').set({ Authorization: `Bearer ${verified.body.jwt}` });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
    const renewed = await post('/api/auth/refresh', { refreshToken: verified.body.refreshToken }, from);
    expect(renewed.status).toBe(200);
    expect(renewed.body.jwt).toEqual(expect.any(String));

    // The challenge served its sign-in; the code was used.
    const again = await post('/api/two-factor/verify', { challenge: first.challenge, code: user.recoveryCodes[0] }, from);
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/expired or was already completed/);
    const second = await signInWithPassword(user, from);
    const reused = await post('/api/two-factor/verify', { challenge: second.challenge, code }, from);
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toBe('Invalid code');
    // The wrong password, the code sent to the spent challenge and the reused code each counted against the account.
    expect(eventsOf(user)).toEqual(['two-factor.enrolled', 'two-factor.failed', 'two-factor.verified', 'two-factor.failed', 'two-factor.failed']);
  });

  it('takes a recovery code once, typed in any case and spacing', async () => {
    const from = newAddress();
    const user = await enrol(from);
    const [code] = user.recoveryCodes;
    const { challenge } = await signInWithPassword(user, from);
    const typed = ` ${code.toUpperCase().replace('-', ' ')} `;
    const verified = await post('/api/two-factor/verify', { challenge, code: typed }, from);
    expect(verified.status).toBe(200);
    expect(verified.body.jwt).toEqual(expect.any(String));
    const next = await signInWithPassword(user, from);
    expect((await post('/api/two-factor/verify', { challenge: next.challenge, code }, from)).status).toBe(400);
    expect((await (await http()).get('/api/two-factor/me').set({ Authorization: `Bearer ${verified.body.jwt}` })).body.data).toEqual({ enrolled: true, recoveryCodesLeft: 9 });
    expect(eventsOf(user)).toContain('two-factor.recovery-code-used');
  });

  it('ends a challenge after five wrong codes: the sixth answer is refused even when right, and the code still works on a new one', async () => {
    const from = newAddress();
    const user = await enrol(from);
    const { challenge } = await signInWithPassword(user, from);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const res = await post('/api/two-factor/verify', { challenge, code: await codeFor(user.secret, stepNow() - 5 - attempt) }, from);
      expect(res.body.error).toMatchObject({ status: 400, message: 'Invalid code' });
    }
    const code = await nextCode(user);
    const sixth = await post('/api/two-factor/verify', { challenge, code }, from);
    expect(sixth.status).toBe(400);
    expect(sixth.body.error.message).toMatch(/expired or was already completed/);
    const fresh = await signInWithPassword(user, from);
    expect((await post('/api/two-factor/verify', { challenge: fresh.challenge, code }, from)).status).toBe(200);
  });

  it('locks the account after ten wrong codes in fifteen minutes, from any address: the eleventh answer and the password step get 429 with Retry-After', async () => {
    const user = await enrol();
    const challenges: string[] = [];
    for (let i = 0; i < 3; i += 1) challenges.push((await signInWithPassword(user, newAddress())).challenge!);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      // Two challenges, five wrong codes each, each from an address of its own.
      const res = await post('/api/two-factor/verify', { challenge: challenges[attempt < 5 ? 0 : 1], code: await codeFor(user.secret, stepNow() - 5 - (attempt % 5)) }, newAddress());
      expect(res.status).toBe(400);
    }
    const eleventh = await post('/api/two-factor/verify', { challenge: challenges[2], code: await nextCode(user) }, newAddress());
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    const password = await post('/api/auth/local', { identifier: user.email, password: user.password }, newAddress());
    expect(password.status).toBe(429);
    expect(password.headers['retry-after']).toBeDefined();
    expect(eventsOf(user).filter((name) => name === 'two-factor.locked')).toHaveLength(1);
  });

  it('locks an address after ten wrong answers, for every account: unknown challenges count', async () => {
    const from = newAddress();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const res = await post('/api/two-factor/verify', { challenge: `guess-${attempt}-${'x'.repeat(40)}`, code: '123456' }, from);
      expect(res.status).toBe(400);
    }
    const user = await enrol();
    const { challenge } = await signInWithPassword(user, newAddress());
    const refused = await post('/api/two-factor/verify', { challenge, code: user.recoveryCodes[0] }, from);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    // Refused before the code was looked at, and the account itself is not locked: from another
    // address the same challenge and the same recovery code still work.
    expect((await post('/api/two-factor/verify', { challenge, code: user.recoveryCodes[0] }, newAddress())).status).toBe(200);
  });

  it('still limits wrong codes while Redis is stopped (counted in memory)', async () => {
    const redis = await startRedisServer();
    const config = strapi.config.get('plugin::two-factor') as { redisUrl: string };
    const shared = config.redisUrl;
    try {
      await getService(strapi, 'redis').close();
      strapi.config.set('plugin::two-factor.redisUrl', redis.url);
      const user = await enrol();
      const challenges = [(await signInWithPassword(user, newAddress())).challenge!, (await signInWithPassword(user, newAddress())).challenge!];
      const third = (await signInWithPassword(user, newAddress())).challenge!;
      await redis.stop();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const res = await post('/api/two-factor/verify', { challenge: challenges[attempt < 5 ? 0 : 1], code: await codeFor(user.secret, stepNow() - 5 - (attempt % 5)) }, newAddress());
        expect(res.status).toBe(400);
      }
      const eleventh = await post('/api/two-factor/verify', { challenge: third, code: await nextCode(user) }, newAddress());
      expect(eleventh.status).toBe(429);
      expect(eleventh.headers['retry-after']).toBeDefined();
    } finally {
      await getService(strapi, 'redis').close();
      strapi.config.set('plugin::two-factor.redisUrl', shared);
      await redis.stop();
    }
  });

  it('answers bad input with 400 in Strapi error shape and changes nothing', async () => {
    const from = newAddress();
    const user = await enrol(from);
    const { challenge } = await signInWithPassword(user, from);
    const bad: object[] = [{}, { challenge }, { challenge, code: 123456 }, { challenge, code: 'x'.repeat(33) }, { challenge, code: '12345', extra: true }, { challenge: 'short', code: '123456' }];
    for (const body of bad) {
      const res = await post('/api/two-factor/verify', body, from);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    }
    const text = await (await http()).post('/api/two-factor/verify').set({ 'X-Forwarded-For': from, 'Content-Type': 'text/plain' }).send('challenge=x');
    expect(text.status).toBe(400);
    // None of it counted: the challenge takes its code.
    expect((await post('/api/two-factor/verify', { challenge, code: await nextCode(user) }, from)).status).toBe(200);
  });

  it('takes the password and a current code to make new recovery codes or turn two-factor off', async () => {
    const from = newAddress();
    const user = await enrol(from);
    expect((await post('/api/two-factor/recovery-codes', { password: 'Not-The-Password-9', code: await codeFor(user.secret, stepNow()) }, from, user.jwt)).status).toBe(400);
    expect((await post('/api/two-factor/recovery-codes', { password: user.password, code: await codeFor(user.secret, stepNow() - 4) }, from, user.jwt)).status).toBe(400);
    const renewed = await post('/api/two-factor/recovery-codes', { password: user.password, code: await nextCode(user) }, from, user.jwt);
    expect(renewed.status).toBe(200);
    const fresh: string[] = renewed.body.data.recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(user.recoveryCodes[0]);
    const { challenge } = await signInWithPassword(user, from);
    expect((await post('/api/two-factor/verify', { challenge, code: user.recoveryCodes[0] }, from)).status).toBe(400);

    expect((await post('/api/two-factor/disable', { password: user.password }, from, user.jwt)).status).toBe(400);
    const off = await post('/api/two-factor/disable', { password: user.password, code: fresh[0] }, from, user.jwt);
    expect(off.status).toBe(200);
    expect(off.body.data).toEqual({ enrolled: false, recoveryCodesLeft: 0 });
    expect((await signInWithPassword(user, from)).jwt).toEqual(expect.any(String));
    expect(await strapi.db.query('plugin::two-factor.recovery-code').count({ where: { user_kind: 'user', user_id: user.id } })).toBe(0);
    expect(await strapi.db.query('plugin::two-factor.factor').count({ where: { user_kind: 'user', user_id: user.id } })).toBe(0);
    expect(eventsOf(user)).toEqual(expect.arrayContaining(['two-factor.new-recovery-codes', 'two-factor.recovery-code-used', 'two-factor.disabled']));
  });
});
