/**
 * What super admins manage for everyone, through the admin API: the roles that must use two-factor
 * (saved in the admin, over the environment's default) and every admin's two-factor state, for a
 * reset. Editors may do neither. The required role here is one of the test's own, so no other test's
 * admins are sent to enrolment while it runs.
 */
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { codeFor, stepNow } from './people';

const RUN = Date.now().toString(36);

describe('two-factor: settings and team', () => {
  let strapi: Core.Strapi;
  let superToken: string;
  const store = () => strapi.store({ type: 'plugin', name: 'two-factor' });

  beforeAll(async () => {
    strapi = await bootStrapi();
    superToken = await adminToken(await createAdminUser(strapi, ROLES.superAdmin));
  });
  afterAll(() => store()?.delete({ key: 'settings' }));

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('lets a super admin choose the required roles: a member of one is sent to enrolment after the password; unknown roles refused', async () => {
    const role = await strapi.service('admin::role').create({ name: `Night desk ${RUN}`, code: `night-desk-${RUN}`, description: 'Test role' });
    const before = await (await http()).get('/two-factor/settings').set(as(superToken));
    expect(before.status).toBe(200);
    expect(before.body.data).toMatchObject({ fromEnvironment: true, requiredRoles: [] });
    expect(before.body.data.roles).toEqual(expect.arrayContaining([{ code: role.code, name: role.name }, { code: ROLES.editor, name: 'Editor' }]));

    const unknown = await (await http()).put('/two-factor/settings').set(as(superToken)).send({ requiredRoles: [role.code, 'no-such-role'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/no-such-role/) });
    expect((await (await http()).get('/two-factor/settings').set(as(superToken))).body.data.fromEnvironment).toBe(true);

    const saved = await (await http()).put('/two-factor/settings').set(as(superToken)).send({ requiredRoles: [role.code] });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ fromEnvironment: false, requiredRoles: [role.code] });

    const member = await createAdminUser(strapi, role.code);
    const login = await (await http()).post('/admin/login').send({ email: member.email, password: member.password });
    expect(login.body.data).toEqual({ twoFactorRequired: true, enrolmentRequired: true, challenge: expect.any(String) });
    // Editors are not in it: core's login as before.
    const editor = await createAdminUser(strapi, ROLES.editor);
    expect((await (await http()).post('/admin/login').send({ email: editor.email, password: editor.password })).body.data.token).toEqual(expect.any(String));
  });

  it('lists every admin with their two-factor state for a super admin, and refuses editors both', async () => {
    const editor = await createAdminUser(strapi, ROLES.editor);
    const editorToken = await adminToken(editor);
    const { secret } = (await (await http()).post('/two-factor/me/enrol').set(as(editorToken)).send({})).body.data;
    await (await http()).post('/two-factor/me/confirm').set(as(editorToken)).send({ code: await codeFor(secret, stepNow() - 1) });

    const list = await (await http()).get('/two-factor/users').set(as(superToken));
    expect(list.status).toBe(200);
    expect(list.body.data.find((entry: { id: number }) => entry.id === editor.id)).toMatchObject({ email: editor.email, roles: ['Editor'], enrolled: true });
    expect(JSON.stringify(list.body)).not.toMatch(/password|secret/i);

    for (const request of [(await http()).get('/two-factor/users'), (await http()).get('/two-factor/settings'), (await http()).put('/two-factor/settings').send({ requiredRoles: [] })]) {
      expect((await request.set(as(editorToken))).status).toBe(403);
    }
  });
});
