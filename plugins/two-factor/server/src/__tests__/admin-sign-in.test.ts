/**
 * Admins through the real app: enrolment of the signed-in admin, then
 * `POST /admin/login` answering a challenge with no refresh cookie and no session row, and
 * `POST /admin/two-factor/verify` opening the session exactly as core's login does; a recovery
 * code; a super admin's reset of another admin (an editor may not); and 404 while it is off.
 */
import { spawn } from 'child_process';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES, type AdminUser } from '../../../../../cms/test/admin';
import { REPO_DIR } from '../../../../../scripts/lib/build';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { codeFor, newAddress, stepNow, trustProxy } from './people';

const COOKIE = 'strapi_admin_refresh';

/** `npm run two-factor -- …` as someone on the server would run it, on this run's database. */
function twoFactorCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'two-factor', '--', ...args], { cwd: REPO_DIR, env: { ...process.env, LOG_LEVEL: 'error' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('two-factor: admins', () => {
  let strapi: Core.Strapi;
  let restoreProxy: () => void;

  beforeAll(async () => {
    strapi = await bootStrapi();
    restoreProxy = trustProxy(strapi);
  });
  afterAll(() => restoreProxy?.());

  const sessionsOf = (admin: AdminUser) => strapi.db.query('admin::session').count({ where: { userId: String(admin.id), origin: 'admin' } });
  const cookiesOf = (res: { headers: Record<string, unknown> }) => ((res.headers['set-cookie'] as string[] | undefined) ?? []).filter((cookie) => cookie.startsWith(`${COOKIE}=`));

  async function enrol(admin: AdminUser, from: string) {
    const auth = { Authorization: `Bearer ${await adminToken(admin)}`, 'X-Forwarded-For': from };
    const started = await (await http()).post('/two-factor/me/enrol').set(auth).send({});
    expect(started.status).toBe(200);
    const { secret, otpauthUri, qrCode } = started.body.data;
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
    // The QR code is drawn by the cms: an SVG in the answer, no address of anyone else's.
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrCode.split(',')[1], 'base64').toString()).toMatch(/^<svg[^>]*>/);
    const confirmed = await (await http()).post('/two-factor/me/confirm').set(auth).send({ code: await codeFor(secret, stepNow() - 1) });
    expect(confirmed.status).toBe(200);
    expect((await (await http()).get('/two-factor/me').set(auth)).body.data).toEqual({ enrolled: true, recoveryCodesLeft: 10 });
    return { secret, recoveryCodes: confirmed.body.data.recoveryCodes as string[] };
  }

  it('stops the login after the password (no cookie, no session row, no token) and opens the session with the code, as core does', async () => {
    const admin = await createAdminUser(strapi, ROLES.editor);
    const from = newAddress();
    const { secret, recoveryCodes } = await enrol(admin, from);
    const sessionsBefore = await sessionsOf(admin);

    const login = await (await http()).post('/admin/login').set('X-Forwarded-For', from).send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ data: { twoFactorRequired: true, challenge: expect.any(String) } });
    expect(cookiesOf(login)).toEqual([]);
    expect(await sessionsOf(admin)).toBe(sessionsBefore);
    // A wrong password is core's refusal, unchanged.
    const wrong = await (await http()).post('/admin/login').set('X-Forwarded-For', from).send({ email: admin.email, password: 'Wrong-Password-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('Invalid credentials');

    const refused = await (await http()).post('/admin/two-factor/verify').set('X-Forwarded-For', from).send({ challenge: login.body.data.challenge, code: await codeFor(secret, stepNow() - 4) });
    expect(refused.status).toBe(400);
    expect(cookiesOf(refused)).toEqual([]);
    expect(await sessionsOf(admin)).toBe(sessionsBefore);

    const verified = await (await http()).post('/admin/two-factor/verify').set('X-Forwarded-For', from).send({ challenge: login.body.data.challenge, code: await codeFor(secret, stepNow()) });
    expect(verified.status).toBe(200);
    expect(verified.body.data).toEqual({ token: expect.any(String), accessToken: verified.body.data.token, user: expect.objectContaining({ id: admin.id, email: admin.email }) });
    expect(verified.body.data.user.password).toBeUndefined();
    expect(cookiesOf(verified)).toHaveLength(1);
    expect(cookiesOf(verified)[0]).toMatch(/httponly/i);
    expect(await sessionsOf(admin)).toBe(sessionsBefore + 1);
    const me = await (await http()).get('/admin/users/me').set('Authorization', `Bearer ${verified.body.data.token}`);
    expect(me.status).toBe(200);
    expect(me.body.data.id).toBe(admin.id);
    // The cookie is a real session's: it gives a new access token.
    expect((await (await http()).post('/admin/access-token').set('Cookie', cookiesOf(verified)[0].split(';')[0]).send({})).status).toBe(200);

    // A recovery code serves a sign-in too.
    const again = await (await http()).post('/admin/login').set('X-Forwarded-For', from).send({ email: admin.email, password: admin.password });
    const recovered = await (await http()).post('/admin/two-factor/verify').set('X-Forwarded-For', from).send({ challenge: again.body.data.challenge, code: recoveryCodes[3] });
    expect(recovered.status).toBe(200);
    expect(cookiesOf(recovered)).toHaveLength(1);
  });

  it('lets a super admin reset another admin\'s two-factor, not an editor; the admin then signs in with the password alone', async () => {
    const target = await createAdminUser(strapi, ROLES.editor);
    await enrol(target, newAddress());
    const editor = await createAdminUser(strapi, ROLES.editor);
    const superAdmin = await createAdminUser(strapi);
    const byEditor = await (await http()).delete(`/two-factor/users/${target.id}`).set('Authorization', `Bearer ${await adminToken(editor)}`);
    expect(byEditor.status).toBe(403);
    const reset = await (await http()).delete(`/two-factor/users/${target.id}`).set('Authorization', `Bearer ${await adminToken(superAdmin)}`);
    expect(reset.status).toBe(200);
    expect(reset.body.data).toEqual({ reset: true });
    const login = await (await http()).post('/admin/login').send({ email: target.email, password: target.password });
    expect(login.status).toBe(200);
    expect(login.body.data.token).toEqual(expect.any(String));
    expect(cookiesOf(login)).toHaveLength(1);
  });

  it('answers 404 on the admin routes and leaves core\'s login alone with TWO_FACTOR_ADMIN=false', async () => {
    const admin = await createAdminUser(strapi, ROLES.editor);
    const { secret } = await enrol(admin, newAddress());
    strapi.config.set('plugin::two-factor.admin', false);
    try {
      expect((await (await http()).post('/admin/two-factor/verify').send({ challenge: 'x'.repeat(43), code: await codeFor(secret, stepNow()) })).status).toBe(404);
      expect((await (await http()).get('/two-factor/me').set('Authorization', `Bearer ${await adminToken(admin)}`)).status).toBe(404);
      // adminToken signed in with the password alone: core's login answered it.
      expect(await adminToken(admin)).toEqual(expect.any(String));
    } finally {
      strapi.config.set('plugin::two-factor.admin', true);
    }
  });

  it('turns off a locked-out admin\'s two-factor with npm run two-factor -- reset <email>, recorded as the script', async () => {
    const admin = await createAdminUser(strapi);
    await enrol(admin, newAddress());
    const reset = await twoFactorCli(['reset', admin.email.toUpperCase()]);
    expect(reset.output).toContain(`Two-factor sign-in is off for ${admin.email.toUpperCase()}`);
    expect(reset.code).toBe(0);
    const login = await (await http()).post('/admin/login').send({ email: admin.email, password: admin.password });
    expect(login.body.data.token).toEqual(expect.any(String));
    const entry = await strapi.db.connection('audit_trail_entries').where({ action: 'two-factor.reset', document_id: String(admin.id) }).first();
    expect(entry).toMatchObject({ actor_kind: 'script', content_type: 'admin::user' });

    const nobody = await twoFactorCli(['reset', `nobody-${Date.now()}@ovation.test`]);
    expect(nobody.code).toBe(1);
    expect(nobody.output).toMatch(/No admin has the email/);
    expect((await twoFactorCli(['wipe'])).code).toBe(2);
  }, 180_000);

  it('sends an admin whose role requires two-factor to enrolment right after the password: no session until its first code, then the session and the recovery codes', async () => {
    const required = strapi.config.get('plugin::two-factor.requiredRoles');
    strapi.config.set('plugin::two-factor.requiredRoles', [ROLES.editor]);
    try {
      const admin = await createAdminUser(strapi, ROLES.editor);
      const from = newAddress();
      const sessionsBefore = await sessionsOf(admin);
      const login = await (await http()).post('/admin/login').set('X-Forwarded-For', from).send({ email: admin.email, password: admin.password });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ data: { twoFactorRequired: true, enrolmentRequired: true, challenge: expect.any(String) } });
      expect(cookiesOf(login)).toEqual([]);
      const { challenge } = login.body.data;
      // The enrolment challenge is not a sign-in one.
      expect((await (await http()).post('/admin/two-factor/verify').set('X-Forwarded-For', from).send({ challenge, code: '123456' })).status).toBe(400);
      const started = await (await http()).post('/admin/two-factor/enrolment').set('X-Forwarded-For', from).send({ challenge });
      expect(started.status).toBe(200);
      const { secret, qrCode } = started.body.data;
      expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
      const wrong = await (await http()).post('/admin/two-factor/enrolment/confirm').set('X-Forwarded-For', from).send({ challenge, code: await codeFor(secret, stepNow() - 4) });
      expect(wrong.status).toBe(400);
      expect(await sessionsOf(admin)).toBe(sessionsBefore);

      const confirmed = await (await http()).post('/admin/two-factor/enrolment/confirm').set('X-Forwarded-For', from).send({ challenge, code: await codeFor(secret, stepNow()) });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.data).toEqual({ token: expect.any(String), accessToken: confirmed.body.data.token, user: expect.objectContaining({ id: admin.id }), recoveryCodes: expect.any(Array) });
      expect(confirmed.body.data.recoveryCodes).toHaveLength(10);
      expect(cookiesOf(confirmed)).toHaveLength(1);
      expect(await sessionsOf(admin)).toBe(sessionsBefore + 1);
      expect((await (await http()).get('/admin/users/me').set('Authorization', `Bearer ${confirmed.body.data.token}`)).status).toBe(200);
      // Spent, and from now on the admin signs in with a code like any other.
      expect((await (await http()).post('/admin/two-factor/enrolment').set('X-Forwarded-For', from).send({ challenge })).status).toBe(400);
      const next = await (await http()).post('/admin/login').set('X-Forwarded-For', from).send({ email: admin.email, password: admin.password });
      expect(next.body).toEqual({ data: { twoFactorRequired: true, challenge: expect.any(String) } });
      // Admins of other roles are not asked.
      const author = await createAdminUser(strapi, 'strapi-author');
      expect(await adminToken(author)).toEqual(expect.any(String));
    } finally {
      strapi.config.set('plugin::two-factor.requiredRoles', required);
    }
  });
});
