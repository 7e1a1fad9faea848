/**
 * Sign-ins and what Strapi refuses before any handler, through the real routes: admin and
 * users-permissions sign-ins (success, failure by the account tried), sign-outs and revoked
 * sessions, registration and password resets (and the sessions they end), a sign-in whose entry
 * cannot be written, and content-API writes refused 401/403. Each request carries its own X-Request-Id, so "exactly one
 * entry" is counted per request.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser } from '../../../../../cms/test/admin';
import { fromAddress } from '../../../../../cms/test/clients';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { diffOf, requestEntries } from './request-entries';

describe('audit trail: sign-ins and refused requests', () => {
  let strapi: Core.Strapi;
  let entries: ReturnType<typeof requestEntries>;

  beforeAll(async () => {
    strapi = await bootStrapi();
    entries = requestEntries(strapi);
  });

  it('records admin sign-ins, failures by the account tried (never the email), sign-outs and revoked sessions; not token refreshes', async () => {
    // An admin of its own: this test revokes the admin's sessions.
    const admin = await createAdminUser(strapi);
    entries.secrets.push(admin.password, admin.email);
    const signIn = entries.requestId();
    const login = await (await http()).post('/admin/login').set({ 'X-Request-Id': signIn, 'User-Agent': 'audit-test/1.0' }).send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    expect(await entries.onlyEntry(signIn)).toMatchObject({
      action: 'admin.login',
      outcome: 'success',
      actor_kind: 'admin',
      actor_id: String(admin.id),
      origin: 'admin',
      content_type: 'admin::user',
      document_id: String(admin.id),
      user_agent: 'audit-test/1.0',
    });

    const wrongPassword = entries.requestId();
    const refused = await (await http()).post('/admin/login').set({ 'X-Request-Id': wrongPassword }).send({ email: admin.email, password: 'Wrong-Password-1' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const failure = await entries.onlyEntry(wrongPassword);
    expect(failure).toMatchObject({ action: 'admin.login', outcome: 'failure', actor_kind: 'admin', actor_id: String(admin.id), document_id: String(admin.id) });
    expect(JSON.parse(failure.error as string)).toMatchObject({ message: 'Invalid credentials' });

    const nobody = `nobody-${entries.run}@ovation.test`;
    entries.secrets.push(nobody, 'Wrong-Password-1');
    const unknown = entries.requestId();
    await (await http()).post('/admin/login').set({ 'X-Request-Id': unknown }).send({ email: nobody, password: 'Wrong-Password-1' });
    expect(await entries.onlyEntry(unknown)).toMatchObject({ action: 'admin.login', outcome: 'failure', actor_kind: 'public', actor_id: null, document_id: null });

    // Refreshing the access token is not an event.
    const cookie = login.headers['set-cookie'] as unknown as string[];
    const refresh = entries.requestId();
    await (await http()).post('/admin/access-token').set({ 'X-Request-Id': refresh, Cookie: cookie }).expect(200);
    expect(await entries.entriesOf(refresh)).toEqual([]);

    const own = { Authorization: `Bearer ${login.body.data.token}` };
    const revokeAll = entries.requestId();
    await (await http()).delete('/admin/users/me/sessions?keepCurrent=true').set({ ...own, 'X-Request-Id': revokeAll }).expect(200);
    expect(await entries.onlyEntry(revokeAll)).toMatchObject({ action: 'admin.session.revoke', actor_kind: 'admin', actor_id: String(admin.id) });

    const signOut = entries.requestId();
    await (await http()).post('/admin/logout').set({ ...own, 'X-Request-Id': signOut }).send({}).expect(200);
    expect(await entries.onlyEntry(signOut)).toMatchObject({ action: 'admin.logout', outcome: 'success', actor_kind: 'admin', actor_id: String(admin.id), origin: 'admin' });
  });

  it("names an admin's password reset (asked for, done) and an accepted invitation, one entry each, with no token", async () => {
    const admin = await createAdminUser(strapi);
    entries.secrets.push(admin.password, admin.email);
    // The reset link is taken from the email as the admin would read it (no mail server in tests).
    const mail = strapi.plugin('email').service('email') as { sendTemplatedEmail: (...args: unknown[]) => Promise<unknown> };
    const send = mail.sendTemplatedEmail;
    let link = '';
    mail.sendTemplatedEmail = async (...args: unknown[]) => {
      link = String((args[2] as { url?: string } | undefined)?.url ?? '');
    };
    const forgot = entries.requestId();
    try {
      await (await http()).post('/admin/forgot-password').set({ 'X-Request-Id': forgot }).send({ email: admin.email }).expect(204);
      // Strapi answers before it writes the token and sends the email (its service call is not awaited).
      for (let waited = 0; !link && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      mail.sendTemplatedEmail = send;
    }
    expect(await entries.onlyEntry(forgot)).toMatchObject({ action: 'admin.password.forgot', content_type: 'admin::user', document_id: String(admin.id), outcome: 'success', actor_kind: 'public' });
    const code = new URL(link).searchParams.get('code') as string;
    expect(code).toBeTruthy();
    entries.secrets.push(code);

    const reset = entries.requestId();
    const password = `Reset-${Date.now().toString(36)}-Pass-9`;
    entries.secrets.push(password);
    const done = await (await http()).post('/admin/reset-password').set({ 'X-Request-Id': reset }).send({ resetPasswordToken: code, password });
    expect(done.status).toBe(200);
    entries.secrets.push(done.body.data.token);
    const changed = await entries.onlyEntry(reset);
    expect(changed).toMatchObject({ action: 'admin.password.reset', document_id: String(admin.id), outcome: 'success' });
    expect(Object.keys(diffOf(changed).after ?? {})).toContain('password');

    // Invited (no password yet), then the invitation accepted through its link.
    const role = await strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    const invitedEmail = `accepted-invitation-${entries.run}@ovation.test`;
    const invited = await strapi.service('admin::user').create({ email: invitedEmail, firstname: 'Invited', lastname: 'Editor', roles: [role.id] });
    entries.secrets.push(invitedEmail, invited.registrationToken);
    const accept = entries.requestId();
    const accepted = await (await http())
      .post('/admin/register')
      .set({ 'X-Request-Id': accept })
      .send({ registrationToken: invited.registrationToken, userInfo: { firstname: 'Invited', lastname: 'Editor', password } });
    expect(accepted.status).toBe(200);
    entries.secrets.push(accepted.body.data.token);
    expect(await entries.onlyEntry(accept)).toMatchObject({ action: 'admin.register', document_id: String(invited.id), outcome: 'success' });
  });

  it('answers a sign-in whose entry cannot be written with a 500, and hands out no token or cookie', async () => {
    const other = await createAdminUser(strapi);
    entries.secrets.push(other.password, other.email);
    await entries.refusingEntries(`NEW.action = 'admin.login' AND NEW.actor_id = '${other.id}'`, async () => {
      const res = await (await http()).post('/admin/login').send({ email: other.email, password: other.password });
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toMatch(/token/i);
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  it('records users-permissions registration, sign-in (success and failure) and a password reset, once each, with no token', async () => {
    const email = `fan-${entries.run}@ovation.test`;
    const password = `Fan-${entries.run}-Pw1`;
    const newPassword = `Fan-${entries.run}-Pw2`;
    entries.secrets.push(email, password, newPassword);

    const register = entries.requestId();
    // Registration is closed unless opened (cms/src/lib/accounts/settings.ts).
    process.env.USERS_REGISTRATION_OPEN = 'true';
    const registered = await (await http())
      .post('/api/auth/local/register')
      .set({ 'X-Request-Id': register })
      .send({ username: `fan${entries.run}`, email, password });
    delete process.env.USERS_REGISTRATION_OPEN;
    expect(registered.status).toBe(200);
    const userId = registered.body.user.id as number;
    const created = await entries.onlyEntry(register);
    expect(created).toMatchObject({ action: 'user.register', outcome: 'success', content_type: 'plugin::users-permissions.user', origin: 'content-api' });
    expect(created.document_id).toBe(registered.body.user.documentId);
    entries.secrets.push(registered.body.jwt);

    const signIn = entries.requestId();
    const login = await (await http()).post('/api/auth/local').set({ 'X-Request-Id': signIn }).send({ identifier: email, password }).expect(200);
    entries.secrets.push(login.body.jwt);
    expect(await entries.onlyEntry(signIn)).toMatchObject({ action: 'user.login', outcome: 'success', actor_kind: 'user', actor_id: String(userId), actor_name: null, origin: 'content-api' });

    const wrong = entries.requestId();
    await (await http()).post('/api/auth/local').set({ 'X-Request-Id': wrong }).send({ identifier: email, password: 'Not-The-Password-9' }).expect(400);
    expect(await entries.onlyEntry(wrong)).toMatchObject({ action: 'user.login', outcome: 'failure', actor_kind: 'user', actor_id: String(userId) });

    // The request's write is what is recorded; the code is read from the email as the worker sends it.
    const forgot = entries.requestId();
    await (await http()).post('/api/auth/forgot-password').set({ 'X-Request-Id': forgot }).send({ email }).expect(200);
    const requested = await entries.onlyEntry(forgot);
    expect(requested).toMatchObject({ action: 'user.password.forgot', actor_kind: 'public', document_id: registered.body.user.documentId });
    const { resetPasswordToken: stored } = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId } });
    const [message] = await strapi.db.connection('messages').where({ purpose: 'account-email' }).orderBy('id', 'desc').limit(1);
    const sending = await strapi.service('api::message.message').forSending(Number(message.id));
    const code = /code=([^\s<"&]+)/.exec(sending.body)?.[1] as string;
    expect(code).toBeTruthy();
    entries.secrets.push(code, stored);

    const reset = entries.requestId();
    const done = await (await http()).post('/api/auth/reset-password').set({ 'X-Request-Id': reset }).send({ code, password: newPassword, passwordConfirmation: newPassword });
    expect(done.status).toBe(200);
    entries.secrets.push(done.body.jwt);
    // The reset, and the sessions it ended (registration's and the sign-in's).
    const resetEntries = await entries.entriesOf(reset);
    expect(resetEntries.map((entry) => entry.action).sort()).toEqual(['session.end', 'user.password.reset']);
    const changed = resetEntries.find((entry) => entry.action === 'user.password.reset')!;
    const ended = resetEntries.find((entry) => entry.action === 'session.end')!;
    expect(changed).toMatchObject({ action: 'user.password.reset', outcome: 'success', document_id: registered.body.user.documentId });
    expect(Object.keys(diffOf(changed).after?.draft ?? diffOf(changed).after?.published ?? {})).toContain('password');
    expect(ended).toMatchObject({ action: 'session.end', outcome: 'success', document_id: String(userId) });
    expect(diffOf(ended).after).toEqual({ origin: 'users-permissions', reason: 'password', sessions: 2 });
  });

  it('records a users-permissions session revoked by its owner, and the sessions a new password ends, with the reason', async () => {
    const email = `sessions-${entries.run}@ovation.test`;
    const password = `Sessions-${entries.run}-Pw1`;
    const newPassword = `Sessions-${entries.run}-Pw2`;
    entries.secrets.push(email, password, newPassword);
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const user = await strapi.plugin('users-permissions').service('user').add({ username: `sessions${entries.run}`, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
    const signIn = async () => (await (await http()).post('/api/auth/local').set(fromAddress()).send({ identifier: email, password }).expect(200)).body as { jwt: string; refreshToken: string };
    const phone = await signIn();
    const laptop = await signIn();
    entries.secrets.push(phone.jwt, phone.refreshToken, laptop.jwt, laptop.refreshToken);

    const { sessionId } = JSON.parse(Buffer.from(phone.jwt.split('.')[1], 'base64url').toString()) as { sessionId: string };
    const revoke = entries.requestId();
    await (await http()).delete(`/api/auth/sessions/${sessionId}`).set({ Authorization: `Bearer ${laptop.jwt}`, 'X-Request-Id': revoke }).expect(200);
    expect(await entries.onlyEntry(revoke)).toMatchObject({
      action: 'user.session.revoke',
      outcome: 'success',
      actor_kind: 'user',
      actor_id: String(user.id),
      content_type: 'plugin::users-permissions.user',
    });

    const change = entries.requestId();
    const changed = await (await http())
      .post('/api/auth/change-password')
      .set({ Authorization: `Bearer ${laptop.jwt}`, 'X-Request-Id': change, ...fromAddress() })
      .send({ currentPassword: password, password: newPassword, passwordConfirmation: newPassword })
      .expect(200);
    entries.secrets.push(changed.body.jwt, changed.body.refreshToken);
    const ended = (await entries.entriesOf(change)).filter((row) => row.action === 'session.end');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ outcome: 'success', actor_kind: 'user', actor_id: String(user.id), content_type: 'plugin::users-permissions.user' });
    expect(diffOf(ended[0]).after).toEqual({ origin: 'users-permissions', reason: 'password', sessions: 1 });
  });

  it('records content-API writes refused by Strapi’s permissions, with the actor and route; not refused reads', async () => {
    const anonymous = entries.requestId();
    expect((await (await http()).post('/api/artists').set({ 'X-Request-Id': anonymous }).send({ data: { name: 'Nope' } })).status).toBe(403);
    const denied = await entries.onlyEntry(anonymous);
    expect(denied).toMatchObject({ action: 'access.denied', outcome: 'failure', actor_kind: 'public', content_type: 'api::artist.artist.create', origin: 'content-api' });
    expect(diffOf(denied).after).toEqual({ route: 'POST /api/artists' });

    const token = await strapi.service('admin::api-token').create({ name: `reader-${entries.run}`, type: 'read-only', lifespan: null });
    entries.secrets.push(token.accessKey);
    const reader = entries.requestId();
    await (await http()).delete('/api/artists/some-id').set({ 'X-Request-Id': reader, Authorization: `Bearer ${token.accessKey}` }).expect(403);
    expect(await entries.onlyEntry(reader)).toMatchObject({ action: 'access.denied', actor_kind: 'api-token', actor_id: String(token.id), document_id: 'some-id' });

    const badToken = entries.requestId();
    await (await http()).put('/api/artists/x').set({ 'X-Request-Id': badToken, Authorization: 'Bearer not-a-token' }).send({ data: {} }).expect(401);
    expect(await entries.onlyEntry(badToken)).toMatchObject({ action: 'access.denied', actor_kind: 'public' });

    const nothingAllowed = await strapi.service('admin::api-token').create({ name: `nothing-${entries.run}`, type: 'custom', permissions: [], lifespan: null });
    entries.secrets.push(nothingAllowed.accessKey);
    const read = entries.requestId();
    expect((await (await http()).get('/api/artists').set({ 'X-Request-Id': read, Authorization: `Bearer ${nothingAllowed.accessKey}` })).status).toBe(403);
    expect(await entries.entriesOf(read)).toEqual([]);
  });

  it('keeps every password, token value and email used above out of the table, and the chain verifies', () => entries.expectNoSecrets());
});
