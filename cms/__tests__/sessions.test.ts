/**
 * Sessions of admins and users-permissions accounts, against the real app: lifetimes from the
 * environment, at most 3 per account, listed (device, address, last use) and revoked by their
 * owner, and every other session ended by a new password, a reset, or an account blocked or
 * deactivated: the old access and refresh tokens are refused on the next request.
 */
import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { maskAddress, sessionLifespans } from '../src/lib/accounts/sessions';
import { createAdminUser, ROLES } from '../test/admin';
import { fromAddress } from '../test/clients';
import { bootStrapi, http } from '../test/strapi';

const RUN = Date.now().toString(36);
let sequence = 0;
const FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

type Tokens = { jwt: string; refreshToken: string };
const bearer = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { exp: number; iat: number; sessionId: string };

describe('sessions', () => {
  let strapi: Core.Strapi;

  async function account() {
    sequence += 1;
    const email = `session-${RUN}-${sequence}@ovation.test`;
    const password = `Session-${crypto.randomBytes(8).toString('hex')}`;
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const user = await strapi.plugin('users-permissions').service('user').add({ username: `session-${RUN}-${sequence}`, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
    return { id: user.id as number, documentId: user.documentId as string, email, password };
  }
  const signIn = async (user: { email: string; password: string }, address?: string): Promise<Tokens> => {
    const res = await (await http())
      .post('/api/auth/local')
      .set({ 'User-Agent': FIREFOX, ...fromAddress(address) })
      .send({ identifier: user.email, password: user.password })
      .expect(200);
    return res.body;
  };
  const me = async (jwt: string) => (await (await http()).get('/api/users/me').set(bearer(jwt))).status;
  const refresh = async (refreshToken: string) => (await (await http()).post('/api/auth/refresh').send({ refreshToken })).status;
  const sessionRows = (origin: string, userId: number) => strapi.db.query('admin::session').count({ where: { origin, userId: String(userId), status: 'active' } });

  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it('take their lifetimes from the environment: idle 30 minutes, 12 hours at most, 5-minute access tokens by default', async () => {
    expect(sessionLifespans({})).toEqual({
      accessTokenLifespan: 300,
      idleRefreshTokenLifespan: 1800,
      idleSessionLifespan: 1800,
      maxRefreshTokenLifespan: 43_200,
      maxSessionLifespan: 43_200,
    });
    expect(sessionLifespans({ SESSION_IDLE_MINUTES: '10', SESSION_MAX_HOURS: '1', ACCESS_TOKEN_MINUTES: '2' })).toMatchObject({ idleSessionLifespan: 600, maxSessionLifespan: 3600, accessTokenLifespan: 120 });
    expect(() => sessionLifespans({ SESSION_IDLE_MINUTES: 'soon' })).toThrow(/SESSION_IDLE_MINUTES/);

    const user = await account();
    const tokens = await signIn(user);
    const access = payloadOf(tokens.jwt);
    expect(access.exp - access.iat).toBe(300);
    const row = await strapi.db.query('admin::session').findOne({ where: { sessionId: access.sessionId } });
    const created = new Date(row.createdAt).getTime();
    expect(Math.round((new Date(row.expiresAt).getTime() - created) / 1000)).toBeCloseTo(1800, -1);
    expect(Math.round((new Date(row.absoluteExpiresAt).getTime() - created) / 1000)).toBeCloseTo(43_200, -1);

    const admin = await createAdminUser(strapi);
    await (await http()).post('/admin/login').send({ email: admin.email, password: admin.password }).expect(200);
    const adminRow = await strapi.db.query('admin::session').findOne({ where: { origin: 'admin', userId: String(admin.id) } });
    const adminCreated = new Date(adminRow.createdAt).getTime();
    expect(Math.round((new Date(adminRow.expiresAt).getTime() - adminCreated) / 1000)).toBeCloseTo(1800, -1);
    expect(Math.round((new Date(adminRow.absoluteExpiresAt).getTime() - adminCreated) / 1000)).toBeCloseTo(43_200, -1);
  });

  it('are listed for their owner with device, masked address and last use, and revoked one by one', async () => {
    const user = await account();
    const phone = await signIn(user, '10.1.2.3');
    const laptop = await signIn(user, '10.9.8.7');
    const list = await (await http()).get('/api/auth/sessions').set(bearer(laptop.jwt)).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data[0]).toMatchObject({ current: true, ip: '10.9.8.x', deviceName: expect.stringMatching(/Firefox/), lastActiveAt: expect.any(String) });
    expect(list.body.data[1]).toMatchObject({ current: false, ip: '10.1.2.x' });
    expect(JSON.stringify(list.body)).not.toContain('10.1.2.3');

    // Another account's session cannot be revoked with this one's token.
    const other = await account();
    const stranger = await signIn(other);
    await (await http()).delete(`/api/auth/sessions/${payloadOf(phone.jwt).sessionId}`).set(bearer(stranger.jwt)).expect(404);
    expect(await me(phone.jwt)).toBe(200);

    await (await http()).delete(`/api/auth/sessions/${payloadOf(phone.jwt).sessionId}`).set(bearer(laptop.jwt)).expect(200);
    expect(await me(phone.jwt)).toBe(401);
    expect(await refresh(phone.refreshToken)).toBe(401);
    expect(await me(laptop.jwt)).toBe(200);
  });

  it('of an admin are listed with device and masked address through the admin API, and revoked there', async () => {
    const admin = await createAdminUser(strapi);
    const login = async (address: string) =>
      (await (await http()).post('/admin/login').set({ 'User-Agent': FIREFOX, ...fromAddress(address) }).send({ email: admin.email, password: admin.password }).expect(200)).body.data.token as string;
    const office = await login('10.77.1.20');
    const home = await login('10.88.2.30');
    const list = await (await http()).get('/admin/users/me/sessions').set(bearer(home)).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data[0]).toMatchObject({ current: true, ip: '10.88.2.x', deviceName: expect.stringMatching(/Firefox/) });
    expect(list.body.data[1]).toMatchObject({ current: false, ip: '10.77.1.x' });
    await (await http()).delete(`/admin/users/me/sessions/${list.body.data[1].id}`).set(bearer(home)).expect(200);
    await (await http()).get('/admin/users/me').set(bearer(office)).expect(401);
    await (await http()).get('/admin/users/me').set(bearer(home)).expect(200);
  });

  it('are at most 3 per account: a fourth sign-in ends the least recently used', async () => {
    const user = await account();
    const first = await signIn(user);
    const others = [await signIn(user), await signIn(user), await signIn(user)];
    expect(await sessionRows('users-permissions', user.id)).toBe(3);
    expect(await me(first.jwt)).toBe(401);
    expect(await refresh(first.refreshToken)).toBe(401);
    for (const tokens of others) expect(await me(tokens.jwt)).toBe(200);

    const admin = await createAdminUser(strapi);
    const logins = [];
    for (let i = 0; i < 4; i += 1) logins.push((await (await http()).post('/admin/login').send({ email: admin.email, password: admin.password }).expect(200)).body.data.token);
    expect(await sessionRows('admin', admin.id)).toBe(3);
    await (await http()).get('/admin/users/me').set(bearer(logins[0])).expect(401);
    await (await http()).get('/admin/users/me').set(bearer(logins[3])).expect(200);
  });

  it('all end when the user changes the password: old access and refresh tokens refused, the new ones work', async () => {
    const user = await account();
    const other = await signIn(user);
    const current = await signIn(user);
    const password = `Changed-${crypto.randomBytes(8).toString('hex')}`;
    const changed = await (await http())
      .post('/api/auth/change-password')
      .set({ ...bearer(current.jwt), ...fromAddress() })
      .send({ currentPassword: user.password, password, passwordConfirmation: password })
      .expect(200);
    for (const old of [other, current]) {
      expect(await me(old.jwt)).toBe(401);
      expect(await refresh(old.refreshToken)).toBe(401);
    }
    expect(await me(changed.body.jwt)).toBe(200);
    expect(await refresh(changed.body.refreshToken)).toBe(200);
  });

  it('all end when the password is reset by email', async () => {
    const user = await account();
    const before = await signIn(user);
    const { code } = await import('../src/lib/accounts/reset-tokens').then(({ issueResetCode }) => issueResetCode());
    await strapi.plugin('users-permissions').service('user').edit(user.id, { resetPasswordToken: crypto.createHash('sha256').update(code).digest('hex') });
    const password = `Reset-${crypto.randomBytes(8).toString('hex')}`;
    const done = await (await http()).post('/api/auth/reset-password').set(fromAddress()).send({ code, password, passwordConfirmation: password }).expect(200);
    expect(await me(before.jwt)).toBe(401);
    expect(await refresh(before.refreshToken)).toBe(401);
    expect(await me(done.body.jwt)).toBe(200);
  });

  it('all end when an admin blocks the account', async () => {
    const user = await account();
    const tokens = await signIn(user);
    const superAdmin = await createAdminUser(strapi);
    const token = (await (await http()).post('/admin/login').send({ email: superAdmin.email, password: superAdmin.password }).expect(200)).body.data.token;
    await (await http())
      .put(`/content-manager/collection-types/plugin::users-permissions.user/${user.documentId}`)
      .set(bearer(token))
      .send({ blocked: true })
      .expect(200);
    expect(await sessionRows('users-permissions', user.id)).toBe(0);
    expect(await me(tokens.jwt)).toBe(401);
    expect(await refresh(tokens.refreshToken)).toBe(401);
  });

  it('of an admin all end when a super admin deactivates the admin or sets a new password', async () => {
    const superAdmin = await createAdminUser(strapi);
    const superToken = (await (await http()).post('/admin/login').send({ email: superAdmin.email, password: superAdmin.password }).expect(200)).body.data.token;
    const editor = await createAdminUser(strapi, ROLES.editor);
    const signInEditor = async (password = editor.password) => (await (await http()).post('/admin/login').send({ email: editor.email, password }).expect(200)).body.data.token as string;

    const before = await signInEditor();
    const password = `Editor-${crypto.randomBytes(8).toString('hex')}-9`;
    await (await http()).put(`/admin/users/${editor.id}`).set(bearer(superToken)).send({ password }).expect(200);
    await (await http()).get('/admin/users/me').set(bearer(before)).expect(401);

    const again = await signInEditor(password);
    await (await http()).put(`/admin/users/${editor.id}`).set(bearer(superToken)).send({ isActive: false }).expect(200);
    expect(await sessionRows('admin', editor.id)).toBe(0);
    await (await http()).get('/admin/users/me').set(bearer(again)).expect(401);
  });

  it('show a masked address, never the full one', () => {
    expect(maskAddress('203.0.113.77')).toBe('203.0.113.x');
    expect(maskAddress('::ffff:203.0.113.77')).toBe('203.0.113.x');
    expect(maskAddress('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(maskAddress(undefined)).toBeUndefined();
  });
});
