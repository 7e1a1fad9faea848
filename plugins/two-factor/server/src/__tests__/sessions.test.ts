/**
 * Turning two-factor on or off changes what it takes to sign in, so every other session of the
 * account ends: for API users and admins alike, through the real app. A super admin's reset ends
 * all of the admin's sessions.
 */
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { codeFor, createApiUser, newAddress, stepNow, trustProxy } from './people';

type Tokens = { jwt: string; refreshToken: string };

describe('two-factor: sessions', () => {
  let strapi: Core.Strapi;
  let restoreProxy: () => void;

  beforeAll(async () => {
    strapi = await bootStrapi();
    restoreProxy = trustProxy(strapi);
  });
  afterAll(() => restoreProxy?.());

  const bearer = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });
  const post = async (path: string, body: object, from: string, jwt?: string) => (await http()).post(path).set({ 'X-Forwarded-For': from, ...(jwt ? bearer(jwt) : {}) }).send(body);
  const me = async (jwt: string) => (await (await http()).get('/api/users/me').set(bearer(jwt))).status;
  const refresh = async (refreshToken: string) => (await (await http()).post('/api/auth/refresh').send({ refreshToken })).status;
  const adminMe = async (token: string) => (await (await http()).get('/admin/users/me').set(bearer(token))).status;

  it('an API user turning two-factor on ends every other session, and turning it off again too; the session making the change stays', async () => {
    const from = newAddress();
    const user = await createApiUser(strapi);
    const signIn = async () => (await post('/api/auth/local', { identifier: user.email, password: user.password }, from)).body as Tokens;
    const phone = await signIn();
    const laptop = await signIn();

    const { secret } = (await post('/api/two-factor/enrol', {}, from, laptop.jwt)).body.data;
    expect((await post('/api/two-factor/confirm', { code: await codeFor(secret, stepNow() - 1) }, from, laptop.jwt)).status).toBe(200);
    expect(await me(phone.jwt)).toBe(401);
    expect(await refresh(phone.refreshToken)).toBe(401);
    expect(await me(laptop.jwt)).toBe(200);

    // A second session, signed in with a code, then turned off from the laptop: the other one ends.
    const { challenge } = (await post('/api/auth/local', { identifier: user.email, password: user.password }, from)).body;
    const tablet = (await post('/api/two-factor/verify', { challenge, code: await codeFor(secret, stepNow()) }, from)).body as Tokens;
    expect(await me(tablet.jwt)).toBe(200);
    const off = await post('/api/two-factor/disable', { password: user.password, code: await codeFor(secret, stepNow() + 1) }, from, laptop.jwt);
    expect(off.status).toBe(200);
    expect(await me(tablet.jwt)).toBe(401);
    expect(await refresh(tablet.refreshToken)).toBe(401);
    expect(await me(laptop.jwt)).toBe(200);
  });

  it('an admin turning two-factor on ends every other admin session; a super admin resetting it ends all of them', async () => {
    const from = newAddress();
    const editor = await createAdminUser(strapi, ROLES.editor);
    const office = await adminToken(editor);
    const home = await adminToken(editor);
    const auth = { ...bearer(home), 'X-Forwarded-For': from };
    const { secret } = (await (await http()).post('/two-factor/me/enrol').set(auth).send({})).body.data;
    expect((await (await http()).post('/two-factor/me/confirm').set(auth).send({ code: await codeFor(secret, stepNow() - 1) })).status).toBe(200);
    expect(await adminMe(office)).toBe(401);
    expect(await adminMe(home)).toBe(200);

    const superAdmin = await createAdminUser(strapi, ROLES.superAdmin);
    const reset = await (await http()).delete(`/two-factor/users/${editor.id}`).set(bearer(await adminToken(superAdmin)));
    expect(reset.status).toBe(200);
    expect(reset.body.data).toEqual({ reset: true });
    expect(await adminMe(home)).toBe(401);
    expect(await strapi.db.query('admin::session').count({ where: { userId: String(editor.id), origin: 'admin', status: 'active' } })).toBe(0);
  });
});
