/**
 * Accounts under Ovation's rules, against the real app: registration closed unless opened, signed-in
 * users reading what the public reads, the password policy for users and admins, password resets
 * (same answer for every address, hashed one-hour single-use codes, emails through the outbox and
 * SendGrid, 3 requests an hour per address and per IP), and failed admin sign-ins limited per address.
 */
import crypto from 'crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '@strapi/strapi';
import { handlers } from '../../workers/src/jobs';
import { createSendGridProvider } from '../../workers/src/providers/sendgrid';
import { createSandboxProvider } from '../../workers/src/providers/sandbox';
import { silentLogger as logger } from '../../workers/src/__tests__/pool';
import { startFakeSendGrid } from '../../scripts/lib/fake-sendgrid';
import { grantPublicPermissions } from '../src/bootstrap/permissions';
import { CONFIRMATION_TOKEN_LIFETIME_MS, RESET_TOKEN_LIFETIME_MS } from '../src/lib/accounts/reset-tokens';
import { lookupHash } from '../src/lib/pii';
import { seedDemo } from '../src/seed';
import { createAdminUser } from '../test/admin';
import { fromAddress, nextAddress } from '../test/clients';
import { bootStrapi, http } from '../test/strapi';

const RUN = Date.now().toString(36);
const USER = 'plugin::users-permissions.user';
let sequence = 0;
const next = () => (sequence += 1);

const newAddress = nextAddress;
const strongPassword = () => `Fan-${crypto.randomBytes(8).toString('hex')}-Pw`;

describe('accounts', () => {
  let strapi: Core.Strapi;
  let sendgrid: Awaited<ReturnType<typeof startFakeSendGrid>>;
  const users = () => strapi.db.query(USER);

  /** A users-permissions account made as an invitation from the admin would make it. */
  async function account(role = 'authenticated') {
    const n = next();
    const email = `user-${RUN}-${n}@ovation.test`;
    const password = strongPassword();
    const roleRow = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: role } });
    const user = await strapi.plugin('users-permissions').service('user').add({ username: `user-${RUN}-${n}`, email, password, provider: 'local', confirmed: true, blocked: false, role: roleRow.id });
    return { id: user.id as number, email, password };
  }
  const signIn = async (identifier: string, password: string) => (await http()).post('/api/auth/local').set(fromAddress()).send({ identifier, password });
  const forgot = async (email: string, address = newAddress()) => (await http()).post('/api/auth/forgot-password').set(fromAddress(address)).send({ email });
  const reset = async (code: string, password: string) => (await http()).post('/api/auth/reset-password').set(fromAddress()).send({ code, password, passwordConfirmation: password });

  /** The newest account email queued for `email`, as the outbox keeps it. */
  const lastEmailTo = (email: string) =>
    strapi.db.connection('messages').where({ recipient_hash: lookupHash(email), purpose: 'account-email' }).orderBy('id', 'desc').first();
  /** The reset code in the newest email to `email`, as the worker sends it. */
  async function codeSentTo(email: string) {
    const row = await lastEmailTo(email);
    const sending = await strapi.service('api::message.message').forSending(Number(row.id));
    const code = /code=([0-9a-z]+\.[A-Za-z0-9_-]{43})/.exec(sending.body)?.[1];
    if (!code) throw new Error(`No reset code in ${sending.body}`);
    return code;
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    // Some tests here move the clock a day ahead; the rounds' schedule must not see that day and
    // close the demo's open round, which later files vote in.
    strapi.plugin('sms-voting').service('rounds').stopSchedule();
    await seedDemo(strapi);
    sendgrid = await startFakeSendGrid();
  });
  afterAll(() => sendgrid.close());
  afterEach(() => {
    vi.useRealTimers();
    delete process.env.USERS_REGISTRATION_OPEN;
  });

  describe('registration', () => {
    const body = () => ({ username: `reg-${RUN}-${next()}`, email: `reg-${RUN}-${sequence}@ovation.test`, password: strongPassword() });

    it('is closed: 403 in Strapi’s error shape over REST and GraphQL, and no account is made', async () => {
      const attempt = body();
      const res = await (await http()).post('/api/auth/local/register').set(fromAddress()).send(attempt).expect(403);
      expect(res.body).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError', message: expect.stringMatching(/closed/) } });
      expect(res.body.jwt).toBeUndefined();

      const graphql = await (await http())
        .post('/graphql')
        .send({ query: `mutation { register(input: { username: "${attempt.username}x", email: "x${attempt.email}", password: "${attempt.password}" }) { jwt } }` });
      expect(graphql.body.data?.register ?? null).toBeNull();
      expect(graphql.body.errors?.[0]?.message).toMatch(/closed/);
      expect(await users().count({ where: { email: { $in: [attempt.email, `x${attempt.email}`] } } })).toBe(0);
    });

    it('opens with USERS_REGISTRATION_OPEN=true, and still refuses a weak password there', async () => {
      process.env.USERS_REGISTRATION_OPEN = 'true';
      const attempt = body();
      const opened = await (await http()).post('/api/auth/local/register').set(fromAddress()).send(attempt).expect(200);
      expect(opened.body.jwt).toEqual(expect.any(String));

      for (const password of ['123456', 'password', 'aaaaaaaa', 'Password1234', 'short-Pass1']) {
        const weak = { ...body(), password };
        const refused = await (await http()).post('/api/auth/local/register').set(fromAddress()).send(weak).expect(400);
        expect(refused.body.error.name).toBe('ValidationError');
        expect(await users().count({ where: { email: weak.email } })).toBe(0);
      }
      const common = await (await http()).post('/api/auth/local/register').set(fromAddress()).send({ ...body(), password: 'Password1234' }).expect(400);
      expect(common.body.error.message).toMatch(/most common passwords/);
      const short = await (await http()).post('/api/auth/local/register').set(fromAddress()).send({ ...body(), password: 'short-Pass1' }).expect(400);
      expect(short.body.error.message).toBe('The password must be at least 12 characters long');
    });
  });

  describe('a signed-in user', () => {
    it('reads every published event the public reads, over REST and GraphQL', async () => {
      const user = await account();
      const { jwt } = (await signIn(user.email, user.password).then((res) => res.body)) as { jwt: string };
      const anonymous = await (await http()).get('/api/events?sort=slug').expect(200);
      const signedIn = await (await http()).get('/api/events?sort=slug').set({ Authorization: `Bearer ${jwt}` }).expect(200);
      expect(anonymous.body.data.length).toBeGreaterThan(0);
      expect(signedIn.body.data.map((event: { slug: string }) => event.slug)).toEqual(anonymous.body.data.map((event: { slug: string }) => event.slug));

      const query = { query: '{ events(sort: "slug") { slug lineup { artist { name } } } }' };
      const graphql = await (await http()).post('/graphql').set({ Authorization: `Bearer ${jwt}` }).send(query).expect(200);
      expect(graphql.body.errors).toBeUndefined();
      expect(graphql.body.data.events.map((event: { slug: string }) => event.slug)).toEqual(anonymous.body.data.map((event: { slug: string }) => event.slug));
    });

    it('keeps those reads at every start: a removed one comes back, none is doubled, every public permission is held', async () => {
      const roles = strapi.db.query('plugin::users-permissions.role');
      const role = await roles.findOne({ where: { type: 'authenticated' } });
      const permissions = strapi.db.query('plugin::users-permissions.permission');
      await permissions.deleteMany({ where: { role: role.id, action: 'api::event.event.find' } });
      await grantPublicPermissions(strapi);
      await grantPublicPermissions(strapi);
      expect(await permissions.count({ where: { role: role.id, action: 'api::event.event.find' } })).toBe(1);

      const actionsOf = async (type: string) => {
        const { id } = await roles.findOne({ where: { type } });
        return ((await permissions.findMany({ where: { role: id }, select: ['action'] })) as { action: string }[]).map((p) => p.action);
      };
      const publicActions = await actionsOf('public');
      expect(publicActions).toContain('plugin::users-permissions.auth.emailConfirmation');
      for (const type of ['authenticated', 'artist', 'partner']) expect(await actionsOf(type)).toEqual(expect.arrayContaining(publicActions));
    });
  });

  describe('forgot-password', () => {
    it('answers the same, in about the same time, whether or not the account exists', async () => {
      const user = await account();
      const timed = async (email: string) => {
        const started = performance.now();
        const res = await forgot(email);
        return { status: res.status, body: res.body, ms: performance.now() - started };
      };
      const known = [await timed(user.email), await timed(user.email)];
      const unknown = [await timed(`nobody-${RUN}-${next()}@ovation.test`), await timed(`nobody-${RUN}-${next()}@ovation.test`)];
      for (const answer of [...known, ...unknown]) {
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { ok: true } });
        expect(answer.ms).toBeGreaterThanOrEqual(395);
      }
      const mean = (answers: { ms: number }[]) => answers.reduce((sum, answer) => sum + answer.ms, 0) / answers.length;
      expect(Math.abs(mean(known) - mean(unknown))).toBeLessThan(150);
    });

    it('stores the code hashed, queues the email in the outbox with the code hidden, and SendGrid sends the working link', async () => {
      const user = await account();
      await forgot(user.email).then((res) => expect(res.status).toBe(200));
      const code = await codeSentTo(user.email);
      const stored = (await users().findOne({ where: { id: user.id } })).resetPasswordToken as string;
      expect(stored).toBe(crypto.createHash('sha256').update(code).digest('hex'));

      const row = await lastEmailTo(user.email);
      expect(row).toMatchObject({ channel: 'email', state: 'queued', recipient_masked: `u***@ovation.test` });
      expect(row.body).toContain('code=[hidden]');
      expect(row.body).not.toContain(code);
      const job = await strapi.db.connection('ops_jobs').where({ idempotency_key: `message.send:${row.idempotency_key}` }).first();
      expect(typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload).toEqual({ messageId: Number(row.id) });

      const providers = {
        sms: createSandboxProvider('sms'),
        email: createSendGridProvider({ apiKey: 'SG.test-key', from: 'accounts@ovation.test', apiBaseUrl: sendgrid.url }),
      };
      const sent = await handlers['message.send']({ messageId: Number(row.id) }, { strapi, providers, logger }, { id: 0, attempts: 1 });
      expect(sent.status).toBe('sent');
      const email = sendgrid.received.at(-1);
      expect(email).toMatchObject({ to: user.email, from: 'accounts@ovation.test', authorization: 'Bearer SG.test-key' });
      expect(email?.text).toContain(`code=${code}`);
      expect(email?.text).not.toMatch(/<p>/);

      const newPassword = strongPassword();
      const done = await reset(code, newPassword);
      expect(done.status).toBe(200);
      expect((await signIn(user.email, newPassword)).status).toBe(200);
      expect((await signIn(user.email, user.password)).status).toBe(400);
    });

    it('refuses a code a second time, the stored hash as a code, and a weak new password (which leaves the code usable)', async () => {
      const user = await account();
      await forgot(user.email);
      const code = await codeSentTo(user.email);
      const stored = (await users().findOne({ where: { id: user.id } })).resetPasswordToken as string;
      expect((await reset(stored, strongPassword())).status).toBe(400);

      const weak = await reset(code, 'password');
      expect(weak.status).toBe(400);
      expect(weak.body.error.message).toBe('The password must be at least 12 characters long');

      expect((await reset(code, strongPassword())).status).toBe(200);
      const again = await reset(code, strongPassword());
      expect(again.status).toBe(400);
      expect(again.body.error).toMatchObject({ name: 'ValidationError', message: 'Incorrect code provided' });
    });

    it('refuses a code after an hour, and clears it', async () => {
      const user = await account();
      await forgot(user.email);
      const code = await codeSentTo(user.email);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + RESET_TOKEN_LIFETIME_MS + 1000);
      const late = await reset(code, strongPassword());
      expect(late.status).toBe(400);
      expect(late.body.error.message).toMatch(/expired/);
      vi.useRealTimers();
      expect((await users().findOne({ where: { id: user.id } })).resetPasswordToken).toBeNull();
      expect((await reset(code, strongPassword())).status).toBe(400);
      expect((await signIn(user.email, user.password)).status).toBe(200);
    });

    it('answers 429 with Retry-After past 3 requests an hour for one address, from any IP, and for one IP, for any address', async () => {
      const user = await account();
      for (let i = 0; i < 3; i += 1) expect((await forgot(user.email)).status).toBe(200);
      const fourth = await forgot(user.email);
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(3000);
      expect(fourth.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });

      const ip = newAddress();
      for (let i = 0; i < 3; i += 1) expect((await forgot(`someone-${RUN}-${next()}@ovation.test`, ip)).status).toBe(200);
      const beyond = await forgot(`someone-${RUN}-${next()}@ovation.test`, ip);
      expect(beyond.status).toBe(429);
      expect(beyond.headers['retry-after']).toBeTruthy();
    });

    describe('email confirmation', () => {
      let advanced: Record<string, unknown>;
      const store = () => strapi.store({ type: 'plugin', name: 'users-permissions' });
      beforeAll(async () => {
        advanced = (await store().get({ key: 'advanced' })) as Record<string, unknown>;
        await store().set({ key: 'advanced', value: { ...advanced, email_confirmation: true, email_confirmation_redirection: 'https://site.ovation.test/confirmed' } });
      });
      afterAll(() => store().set({ key: 'advanced', value: advanced }));

      /** Registers an account (registration opened) and answers it with the code its confirmation email carries. */
      async function registered() {
        process.env.USERS_REGISTRATION_OPEN = 'true';
        const n = next();
        const email = `confirm-${RUN}-${n}@ovation.test`;
        const res = await (await http()).post('/api/auth/local/register').set(fromAddress()).send({ username: `confirm-${RUN}-${n}`, email, password: strongPassword() });
        expect(res.status).toBe(200);
        expect(res.body.jwt).toBeUndefined();
        return { email, code: await confirmationCodeSentTo(email) };
      }
      async function confirmationCodeSentTo(email: string) {
        const row = await lastEmailTo(email);
        expect(row.body).toContain('confirmation=[hidden]');
        const sending = await strapi.service('api::message.message').forSending(Number(row.id));
        const code = /confirmation=([0-9a-z]+\.[A-Za-z0-9_-]{43})/.exec(sending.body)?.[1];
        if (!code) throw new Error(`No confirmation code in ${sending.body}`);
        expect(row.body).not.toContain(code);
        return code;
      }
      const confirm = async (code: string) => (await http()).get('/api/auth/email-confirmation').query({ confirmation: code }).set(fromAddress());
      const accountOf = (email: string) => users().findOne({ where: { email } });

      it('is sent through the outbox with its code hidden, the code stored hashed, and confirms the account once', async () => {
        const { email, code } = await registered();
        const stored = (await accountOf(email)).confirmationToken;
        expect(stored).toBe(crypto.createHash('sha256').update(code).digest('hex'));
        expect((await confirm(stored)).status).toBe(400);

        const first = await confirm(code);
        expect(first.status).toBe(302);
        expect(first.headers.location).toBe('https://site.ovation.test/confirmed');
        expect(await accountOf(email)).toMatchObject({ confirmed: true, confirmationToken: null });
        const again = await confirm(code);
        expect(again.status).toBe(400);
        expect(again.body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid token' });
      });

      it('refuses a code after 24 hours (clock moved), clears it, and leaves the account unconfirmed', async () => {
        const { email, code } = await registered();
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Date.now() + CONFIRMATION_TOKEN_LIFETIME_MS - 60_000);
        const stillFresh = await registered();
        expect((await confirm(stillFresh.code)).status).toBe(302);
        vi.setSystemTime(Date.now() + 2 * 60_000);
        const late = await confirm(code);
        expect(late.status).toBe(400);
        expect(late.body.error.message).toMatch(/expired/);
        vi.useRealTimers();
        expect(await accountOf(email)).toMatchObject({ confirmed: false, confirmationToken: null });
        expect((await confirm(code)).status).toBe(400);
      });

      it('is sent again on request with the same answer whether or not the account exists or is confirmed; the old code stops working', async () => {
        const { email, code } = await registered();
        const ask = async (address: string) => (await http()).post('/api/auth/send-email-confirmation').set(fromAddress()).send({ email: address });
        const known = await ask(email);
        const unknown = await ask(`nobody-${RUN}-${next()}@ovation.test`);
        expect(known.status).toBe(200);
        expect(unknown.status).toBe(200);
        expect(Object.keys(known.body)).toEqual(Object.keys(unknown.body));
        expect(known.body.sent).toBe(true);
        const fresh = await confirmationCodeSentTo(email);
        expect(fresh).not.toBe(code);
        expect((await confirm(code)).status).toBe(400);
        expect((await confirm(fresh)).status).toBe(302);
        const confirmed = await ask(email);
        expect(confirmed.status).toBe(200);
        expect(confirmed.body).toMatchObject({ sent: true });
        for (let i = 0; i < 2; i += 1) await ask(email);
        const beyond = await ask(email);
        expect(beyond.status).toBe(429);
        expect(beyond.headers['retry-after']).toBeTruthy();
      });
    });

    it('refuses a malformed body with 400 and queues nothing', async () => {
      const before = await strapi.db.connection('messages').where({ purpose: 'account-email' }).count({ n: '*' }).first();
      for (const body of [{}, { email: 'not-an-email' }, { email: 'a@b.test', extra: 1 }]) {
        const res = await (await http()).post('/api/auth/forgot-password').set(fromAddress()).send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('ValidationError');
      }
      const after = await strapi.db.connection('messages').where({ purpose: 'account-email' }).count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n));
    });
  });

  describe('admins', () => {
    it('are refused a short or common password, with the reason in Strapi’s error shape', async () => {
      const admin = await createAdminUser(strapi);
      const login = await (await http()).post('/admin/login').set(fromAddress()).send({ email: admin.email, password: admin.password }).expect(200);
      const auth = { Authorization: `Bearer ${login.body.data.token}` };
      for (const [password, reason] of [
        ['Short-Pass1', /at least 12 characters/],
        ['Password1234', /most common passwords/],
      ] as const) {
        const res = await (await http()).put('/admin/users/me').set(auth).send({ currentPassword: admin.password, password });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(reason) });
      }
      // Refused before Strapi ends the admin's sessions for a password change: still signed in, same password.
      await (await http()).get('/admin/users/me').set(auth).expect(200);
      await (await http()).post('/admin/login').set(fromAddress()).send({ email: admin.email, password: admin.password }).expect(200);
    });

    it('reset their password with a code stored hashed, once, sent through the outbox; 3 requests an hour per address', async () => {
      const admin = await createAdminUser(strapi);
      const forgotAdmin = async (email: string, address = newAddress()) => (await http()).post('/admin/forgot-password').set(fromAddress(address)).send({ email });
      await forgotAdmin(admin.email).then((res) => expect(res.status).toBe(204));
      await forgotAdmin(`nobody-${RUN}-${next()}@ovation.test`).then((res) => expect(res.status).toBe(204));

      // Strapi answers before the email is queued.
      let row: { id: number; body: string } | undefined;
      for (let i = 0; i < 50 && !row; i += 1) {
        row = await lastEmailTo(admin.email);
        if (!row) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(row?.body).toContain('code=[hidden]');
      const sending = await strapi.service('api::message.message').forSending(Number(row?.id));
      const code = /code=([0-9a-z]+\.[A-Za-z0-9_-]{43})/.exec(sending.body)?.[1] as string;
      const stored = await strapi.db.query('admin::user').findOne({ where: { id: admin.id } });
      expect(stored.resetPasswordToken).toBe(crypto.createHash('sha256').update(code).digest('hex'));
      expect(row?.body).not.toContain(code);

      const newPassword = `Admin-${crypto.randomBytes(8).toString('hex')}-9`;
      const reset = (resetPasswordToken: string) => http().then((agent) => agent.post('/admin/reset-password').set(fromAddress()).send({ resetPasswordToken, password: newPassword }));
      expect((await reset(stored.resetPasswordToken)).status).toBe(400);
      expect((await reset(code)).status).toBe(200);
      expect((await reset(code)).status).toBe(400);
      await (await http()).post('/admin/login').set(fromAddress()).send({ email: admin.email, password: newPassword }).expect(200);

      for (let i = 0; i < 2; i += 1) expect((await forgotAdmin(admin.email)).status).toBe(204);
      const fourth = await forgotAdmin(admin.email);
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('from one address: after 10 failed sign-ins across different accounts, 429 with Retry-After, even with the right password', async () => {
      const admin = await createAdminUser(strapi);
      const address = newAddress();
      for (let i = 0; i < 10; i += 1) {
        const res = await (await http()).post('/admin/login').set(fromAddress(address)).send({ email: `sprayed-${RUN}-${next()}@ovation.test`, password: 'Spring2026!!' });
        expect(res.status).toBe(400);
      }
      const blocked = await (await http()).post('/admin/login').set(fromAddress(address)).send({ email: `sprayed-${RUN}-${next()}@ovation.test`, password: 'Spring2026!!' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
      expect((await (await http()).post('/admin/login').set(fromAddress(address)).send({ email: admin.email, password: admin.password })).status).toBe(429);
      // Another address is not held back.
      await (await http()).post('/admin/login').set(fromAddress()).send({ email: admin.email, password: admin.password }).expect(200);
    });
  });
});
