/**
 * Who did what to accounts and permissions, through the real HTTP routes: admin and users-permissions
 * sign-ins (success and failure), sign-outs and revoked sessions, registration and password resets,
 * admin users, roles and permissions, users-permissions roles, API and transfer tokens, a fan's
 * consent by SMS, rounds opened and closed, and content-API writes refused before any handler.
 * Each request carries its own X-Request-Id, so "exactly one entry" is counted per request.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES, type AdminUser } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { nextPhoneNumber, sendSms } from '../../../../sms-voting/server/src/__tests__/sms';
import { subjectKey } from '../../../../sms-voting/server/src/utils/ids';
import type { LedgerService } from '../services/ledger';
import type { EntryRow } from '../utils/entry';
import { ENTRIES_TABLE } from '../utils/schema';

const RUN = Date.now().toString(36);
let requests = 0;
/** A request id of its own for each request: the entries a request made are found by it. */
const requestId = () => `acct-${RUN}-${(requests += 1)}`;

type Diff = { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
const diffOf = (row: EntryRow) => JSON.parse(row.diff) as Diff;

describe('audit trail: accounts and permissions', () => {
  let strapi: Core.Strapi;
  let admin: AdminUser;
  let session: Record<string, string>;
  /** Every password, token value and email a test used: none may appear in any entry. */
  const secrets: string[] = [];
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  const entriesOf = async (id: string) => (await strapi.db.connection(ENTRIES_TABLE).where({ request_id: id }).orderBy('seq', 'asc')) as EntryRow[];
  /** The one entry request `id` made. */
  const onlyEntry = async (id: string) => {
    const rows = await entriesOf(id);
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const as = (id: string, headers: Record<string, string> = session) => ({ ...headers, 'X-Request-Id': id });
  const roleId = async (code: string) => (await strapi.db.query('admin::role').findOne({ where: { code } })).id as number;

  /** Makes the next entries matching `when` (SQL over NEW.) impossible to write, for the length of `task`. */
  async function refusingEntries(when: string, task: () => Promise<void>) {
    const knex = strapi.db.connection;
    if (isPostgres()) {
      await knex.raw(`CREATE TRIGGER audit_test_refuse_account BEFORE INSERT ON ${ENTRIES_TABLE} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION audit_trail_refuse_change()`);
    } else {
      await knex.raw(`CREATE TRIGGER audit_test_refuse_account BEFORE INSERT ON ${ENTRIES_TABLE} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    }
    try {
      await task();
    } finally {
      await knex.raw(isPostgres() ? `DROP TRIGGER audit_test_refuse_account ON ${ENTRIES_TABLE}` : 'DROP TRIGGER audit_test_refuse_account');
    }
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    admin = await createAdminUser(strapi);
    secrets.push(admin.password, admin.email);
    session = { Authorization: `Bearer ${await adminToken(admin)}` };
  });

  it('records admin sign-ins, failures by the account tried (never the email), sign-outs and revoked sessions; not token refreshes', async () => {
    // An admin of its own: revoking sessions here must not sign out the other tests' session.
    const admin = await createAdminUser(strapi);
    secrets.push(admin.password, admin.email);
    const signIn = requestId();
    const login = await (await http()).post('/admin/login').set({ 'X-Request-Id': signIn, 'User-Agent': 'audit-test/1.0' }).send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    expect(await onlyEntry(signIn)).toMatchObject({
      action: 'admin.login',
      outcome: 'success',
      actor_kind: 'admin',
      actor_id: String(admin.id),
      origin: 'admin',
      content_type: 'admin::user',
      document_id: String(admin.id),
      user_agent: 'audit-test/1.0',
    });

    const wrongPassword = requestId();
    const refused = await (await http()).post('/admin/login').set({ 'X-Request-Id': wrongPassword }).send({ email: admin.email, password: 'Wrong-Password-1' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const failure = await onlyEntry(wrongPassword);
    expect(failure).toMatchObject({ action: 'admin.login', outcome: 'failure', actor_kind: 'admin', actor_id: String(admin.id), document_id: String(admin.id) });
    expect(JSON.parse(failure.error as string)).toMatchObject({ message: 'Invalid credentials' });

    const nobody = `nobody-${RUN}@ovation.test`;
    secrets.push(nobody, 'Wrong-Password-1');
    const unknown = requestId();
    await (await http()).post('/admin/login').set({ 'X-Request-Id': unknown }).send({ email: nobody, password: 'Wrong-Password-1' });
    expect(await onlyEntry(unknown)).toMatchObject({ action: 'admin.login', outcome: 'failure', actor_kind: 'public', actor_id: null, document_id: null });

    // Refreshing the access token is not an event.
    const cookie = login.headers['set-cookie'] as unknown as string[];
    const refresh = requestId();
    await (await http()).post('/admin/access-token').set({ 'X-Request-Id': refresh, Cookie: cookie }).expect(200);
    expect(await entriesOf(refresh)).toEqual([]);

    const own = { Authorization: `Bearer ${login.body.data.token}` };
    const revokeAll = requestId();
    await (await http()).delete('/admin/users/me/sessions?keepCurrent=true').set(as(revokeAll, own)).expect(200);
    expect(await onlyEntry(revokeAll)).toMatchObject({ action: 'admin.session.revoke', actor_kind: 'admin', actor_id: String(admin.id) });

    const signOut = requestId();
    await (await http()).post('/admin/logout').set(as(signOut, own)).send({}).expect(200);
    expect(await onlyEntry(signOut)).toMatchObject({ action: 'admin.logout', outcome: 'success', actor_kind: 'admin', actor_id: String(admin.id), origin: 'admin' });
  });

  it('answers a sign-in whose entry cannot be written with a 500, and hands out no token or cookie', async () => {
    const other = await createAdminUser(strapi);
    secrets.push(other.password, other.email);
    await refusingEntries(`NEW.action = 'admin.login' AND NEW.actor_id = '${other.id}'`, async () => {
      const res = await (await http()).post('/admin/login').send({ email: other.email, password: other.password });
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toMatch(/token/i);
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  it('records users-permissions registration, sign-in (success and failure) and a password reset, once each, with no token', async () => {
    const email = `fan-${RUN}@ovation.test`;
    const password = `Fan-${RUN}-Pw1`;
    const newPassword = `Fan-${RUN}-Pw2`;
    secrets.push(email, password, newPassword);

    const register = requestId();
    const registered = await (await http()).post('/api/auth/local/register').set({ 'X-Request-Id': register }).send({ username: `fan${RUN}`, email, password });
    expect(registered.status).toBe(200);
    const userId = registered.body.user.id as number;
    const created = await onlyEntry(register);
    expect(created).toMatchObject({ action: 'user.register', outcome: 'success', content_type: 'plugin::users-permissions.user', origin: 'content-api' });
    expect(created.document_id).toBe(registered.body.user.documentId);
    secrets.push(registered.body.jwt);

    const signIn = requestId();
    const login = await (await http()).post('/api/auth/local').set({ 'X-Request-Id': signIn }).send({ identifier: email, password }).expect(200);
    secrets.push(login.body.jwt);
    expect(await onlyEntry(signIn)).toMatchObject({ action: 'user.login', outcome: 'success', actor_kind: 'user', actor_id: String(userId), actor_name: null, origin: 'content-api' });

    const wrong = requestId();
    await (await http()).post('/api/auth/local').set({ 'X-Request-Id': wrong }).send({ identifier: email, password: 'Not-The-Password-9' }).expect(400);
    expect(await onlyEntry(wrong)).toMatchObject({ action: 'user.login', outcome: 'failure', actor_kind: 'user', actor_id: String(userId) });

    // The reset email is not sent in tests (no mail server): the request's write is what is recorded.
    const mail = strapi.plugin('email').service('email') as { send: (...args: unknown[]) => Promise<unknown> };
    const send = mail.send;
    mail.send = async () => undefined;
    const forgot = requestId();
    try {
      await (await http()).post('/api/auth/forgot-password').set({ 'X-Request-Id': forgot }).send({ email }).expect(200);
    } finally {
      mail.send = send;
    }
    const requested = await onlyEntry(forgot);
    expect(requested).toMatchObject({ action: 'user.password.forgot', actor_kind: 'public', document_id: registered.body.user.documentId });
    const { resetPasswordToken: code } = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId } });
    expect(code).toBeTruthy();
    secrets.push(code);

    const reset = requestId();
    const done = await (await http()).post('/api/auth/reset-password').set({ 'X-Request-Id': reset }).send({ code, password: newPassword, passwordConfirmation: newPassword });
    expect(done.status).toBe(200);
    secrets.push(done.body.jwt);
    const changed = await onlyEntry(reset);
    expect(changed).toMatchObject({ action: 'user.password.reset', outcome: 'success', document_id: registered.body.user.documentId });
    expect(Object.keys(diffOf(changed).after?.draft ?? diffOf(changed).after?.published ?? {})).toContain('password');
  });

  it('records admin users created, updated (roles shown, no email or password) and deleted, in the change’s transaction', async () => {
    const email = `invited-${RUN}@ovation.test`;
    secrets.push(email, 'Changed-Pw-12345');
    const create = requestId();
    const created = await (await http())
      .post('/admin/users')
      .set(as(create))
      .send({ firstname: 'Invited', lastname: `User ${RUN}`, email, roles: [await roleId(ROLES.superAdmin)] })
      .expect(201);
    const id = created.body.data.id as number;
    const creation = await onlyEntry(create);
    expect(creation).toMatchObject({ action: 'admin.user.create', actor_kind: 'admin', actor_id: String(admin.id), origin: 'admin', document_id: String(id) });
    expect(diffOf(creation).after).toMatchObject({ firstname: 'Invited', roles: [ROLES.superAdmin], email: '[redacted]' });

    const update = requestId();
    await (await http())
      .put(`/admin/users/${id}`)
      .set(as(update))
      .send({ firstname: 'Renamed', roles: [await roleId(ROLES.editor)], password: 'Changed-Pw-12345' })
      .expect(200);
    const updated = await onlyEntry(update);
    expect(updated).toMatchObject({ action: 'admin.user.update', document_id: String(id) });
    expect(diffOf(updated)).toEqual({
      before: { firstname: 'Invited', roles: [ROLES.superAdmin], password: '[redacted]' },
      after: { firstname: 'Renamed', roles: [ROLES.editor], password: '[redacted]' },
    });

    // An entry that cannot be written fails the change: nothing is renamed.
    await refusingEntries(`NEW.action = 'admin.user.update' AND NEW.document_id = '${id}'`, async () => {
      const res = await (await http()).put(`/admin/users/${id}`).set(session).send({ firstname: 'Unrecorded' });
      expect(res.status).toBeGreaterThanOrEqual(500);
    });
    expect((await strapi.db.query('admin::user').findOne({ where: { id } })).firstname).toBe('Renamed');

    const remove = requestId();
    await (await http()).delete(`/admin/users/${id}`).set(as(remove)).expect(200);
    const removal = await onlyEntry(remove);
    expect(removal).toMatchObject({ action: 'admin.user.delete', document_id: String(id) });
    expect(diffOf(removal)).toMatchObject({ before: { firstname: 'Renamed', roles: [ROLES.editor] }, after: null });
  });

  it('records admin roles and the permissions added and removed; a refused rename as a failure', async () => {
    const create = requestId();
    const created = await (await http()).post('/admin/roles').set(as(create)).send({ name: `Reviewers ${RUN}`, description: 'Read only' }).expect(201);
    const id = created.body.data.id as number;
    expect(await onlyEntry(create)).toMatchObject({ action: 'admin.role.create', document_id: String(id), actor_kind: 'admin' });

    const grant = requestId();
    const permissions = [{ action: 'plugin::upload.read', subject: null, properties: {}, conditions: [] }];
    await (await http()).put(`/admin/roles/${id}/permissions`).set(as(grant)).send({ permissions }).expect(200);
    expect(diffOf(await onlyEntry(grant))).toEqual({ before: { permissions: [] }, after: { permissions: ['plugin::upload.read'] } });

    const revoke = requestId();
    await (await http()).put(`/admin/roles/${id}/permissions`).set(as(revoke)).send({ permissions: [] }).expect(200);
    const revoked = await onlyEntry(revoke);
    expect(revoked).toMatchObject({ action: 'admin.role.permissions', document_id: String(id) });
    expect(diffOf(revoked)).toEqual({ before: { permissions: ['plugin::upload.read'] }, after: { permissions: [] } });

    const rename = requestId();
    await (await http()).put(`/admin/roles/${id}`).set(as(rename)).send({ name: `Readers ${RUN}`, description: 'Read only' }).expect(200);
    expect(diffOf(await onlyEntry(rename))).toEqual({ before: { name: `Reviewers ${RUN}` }, after: { name: `Readers ${RUN}` } });

    // Another role's name is refused by Strapi's role service: the refusal is recorded, nothing changes.
    const taken = requestId();
    expect((await (await http()).put(`/admin/roles/${id}`).set(as(taken)).send({ name: 'Editor', description: 'Read only' })).status).toBe(400);
    const refusal = await onlyEntry(taken);
    expect(refusal).toMatchObject({ action: 'admin.role.update', outcome: 'failure', document_id: String(id), diff: '{"after":null,"before":null}' });
    expect(JSON.parse(refusal.error as string)).toMatchObject({ name: 'ApplicationError' });

    const remove = requestId();
    await (await http()).delete(`/admin/roles/${id}`).set(as(remove)).expect(200);
    expect(await onlyEntry(remove)).toMatchObject({ action: 'admin.role.delete', outcome: 'success', document_id: String(id) });
  });

  it('records users-permissions roles with the content-API actions added and removed', async () => {
    const name = `Partners ${RUN}`;
    const allow = (enabled: boolean) => ({ 'api::artist': { controllers: { artist: { find: { enabled }, findOne: { enabled: true } } } } });
    const create = requestId();
    await (await http()).post('/users-permissions/roles').set(as(create)).send({ name, description: 'Partner apps', permissions: allow(true) }).expect(200);
    const created = await onlyEntry(create);
    expect(created).toMatchObject({ action: 'user.role.create', content_type: 'plugin::users-permissions.role', actor_kind: 'admin' });
    expect(diffOf(created).after).toMatchObject({ name, permissions: ['api::artist.artist.find', 'api::artist.artist.findOne'] });
    const id = created.document_id as string;

    const update = requestId();
    await (await http()).put(`/users-permissions/roles/${id}`).set(as(update)).send({ name, description: 'Partner apps', permissions: allow(false) }).expect(200);
    expect(diffOf(await onlyEntry(update))).toEqual({ before: { permissions: ['api::artist.artist.find'] }, after: { permissions: [] } });

    const remove = requestId();
    await (await http()).delete(`/users-permissions/roles/${id}`).set(as(remove)).expect(200);
    expect(await onlyEntry(remove)).toMatchObject({ action: 'user.role.delete', document_id: id });
  });

  it('records API tokens created, regenerated, updated and revoked by name and id, never their value', async () => {
    const name = `partner-${RUN}`;
    const create = requestId();
    const created = await (await http()).post('/admin/api-tokens').set(as(create)).send({ name, description: 'Partner', type: 'read-only', lifespan: null }).expect(201);
    const id = String(created.body.data.id);
    secrets.push(created.body.data.accessKey);
    const creation = await onlyEntry(create);
    expect(creation).toMatchObject({ action: 'api-token.create', content_type: 'admin::api-token', document_id: id, actor_kind: 'admin' });
    expect(diffOf(creation).after).toMatchObject({ name, type: 'read-only', kind: 'content-api' });

    const regenerate = requestId();
    const regenerated = await (await http()).post(`/admin/api-tokens/${id}/regenerate`).set(as(regenerate)).expect(201);
    secrets.push(regenerated.body.data.accessKey);
    expect(await onlyEntry(regenerate)).toMatchObject({ action: 'api-token.regenerate', document_id: id, diff: JSON.stringify({ after: { name }, before: null }) });

    const update = requestId();
    await (await http()).put(`/admin/api-tokens/${id}`).set(as(update)).send({ name: `${name}-renamed`, description: 'Partner', type: 'full-access' }).expect(200);
    expect(diffOf(await onlyEntry(update))).toEqual({ before: { name, type: 'read-only' }, after: { name: `${name}-renamed`, type: 'full-access' } });

    const revoke = requestId();
    await (await http()).delete(`/admin/api-tokens/${id}`).set(as(revoke)).expect(200);
    expect(await onlyEntry(revoke)).toMatchObject({ action: 'api-token.revoke', document_id: id });

    const transfer = requestId();
    const made = await (await http()).post('/admin/transfer/tokens').set(as(transfer)).send({ name: `mirror-${RUN}`, permissions: ['push'], lifespan: null }).expect(201);
    secrets.push(made.body.data.accessKey);
    expect(diffOf(await onlyEntry(transfer)).after).toMatchObject({ name: `mirror-${RUN}`, permissions: ['push'] });
    const dropTransfer = requestId();
    await (await http()).delete(`/admin/transfer/tokens/${made.body.data.id}`).set(as(dropTransfer)).expect(200);
    expect(await onlyEntry(dropTransfer)).toMatchObject({ action: 'transfer-token.revoke', document_id: String(made.body.data.id) });
  });

  it("records a fan's opt-out and opt-in by SMS as the fan, by subject key, never the number", async () => {
    const phone = nextPhoneNumber();
    secrets.push(phone, phone.slice(1));
    const fan = subjectKey(strapi.config.get('server.app.keys') as string[], phone);
    const byFan = async (action: string) => strapi.db.connection(ENTRIES_TABLE).where({ actor_kind: 'fan', actor_id: fan, action }) as Promise<EntryRow[]>;

    expect((await sendSms({ from: phone, body: 'STOP' })).response.status).toBe(200);
    const [optOut, ...more] = await byFan('consent.opt-out');
    expect(more).toEqual([]);
    expect(optOut).toMatchObject({ content_type: 'api::consent-record.consent-record', outcome: 'success', origin: 'content-api' });
    expect(Object.values(diffOf(optOut).after ?? {})).toMatchObject([{ action: 'opt_out', channel: 'sms' }]);

    await sendSms({ from: phone, body: 'START' });
    expect(await byFan('consent.opt-in')).toHaveLength(1);
  });

  it('records rounds opened and closed by an editor, and by the schedule as its job', async () => {
    const event = await createVotingEvent(strapi, { lineup: 1 });
    const second = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    const open = requestId();
    await (await http()).post(`/sms-voting/rounds/${second.documentId}/open`).set(as(open)).expect(200);
    const opened = await entriesOf(open);
    expect(opened.map((row) => [row.action, row.document_id])).toEqual([
      ['round.open', second.documentId],
      ['round.close', event.roundRef],
    ]);
    expect(opened[0]).toMatchObject({ actor_kind: 'admin', actor_id: String(admin.id), content_type: 'api::round.round' });

    const close = requestId();
    await (await http()).post(`/sms-voting/rounds/${second.documentId}/close`).set(as(close)).expect(200);
    expect(await onlyEntry(close)).toMatchObject({ action: 'round.close', document_id: second.documentId, actor_kind: 'admin' });

    const third = await strapi.documents('api::round.round').create({
      data: { event: event.eventRef, number: 3, state: 'pending', opens_at: new Date(Date.now() - 1000), closes_at: new Date(Date.now() + 60_000) } as never,
    });
    await strapi.plugin('sms-voting').service('rounds').applySchedule();
    const scheduled = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'round.open', document_id: third.documentId });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ actor_kind: 'job', actor_name: 'round.schedule', origin: 'worker' });
  });

  it('records content-API writes refused by Strapi’s permissions, with the actor and route; not refused reads', async () => {
    const anonymous = requestId();
    expect((await (await http()).post('/api/artists').set({ 'X-Request-Id': anonymous }).send({ data: { name: 'Nope' } })).status).toBe(403);
    const denied = await onlyEntry(anonymous);
    expect(denied).toMatchObject({ action: 'access.denied', outcome: 'failure', actor_kind: 'public', content_type: 'api::artist.artist.create', origin: 'content-api' });
    expect(diffOf(denied).after).toEqual({ route: 'POST /api/artists' });

    const token = await strapi.service('admin::api-token').create({ name: `reader-${RUN}`, type: 'read-only', lifespan: null });
    secrets.push(token.accessKey);
    const reader = requestId();
    await (await http()).delete('/api/artists/some-id').set({ 'X-Request-Id': reader, Authorization: `Bearer ${token.accessKey}` }).expect(403);
    expect(await onlyEntry(reader)).toMatchObject({ action: 'access.denied', actor_kind: 'api-token', actor_id: String(token.id), document_id: 'some-id' });

    const badToken = requestId();
    await (await http()).put('/api/artists/x').set({ 'X-Request-Id': badToken, Authorization: 'Bearer not-a-token' }).send({ data: {} }).expect(401);
    expect(await onlyEntry(badToken)).toMatchObject({ action: 'access.denied', actor_kind: 'public' });

    const nothingAllowed = await strapi.service('admin::api-token').create({ name: `nothing-${RUN}`, type: 'custom', permissions: [], lifespan: null });
    secrets.push(nothingAllowed.accessKey);
    const read = requestId();
    expect((await (await http()).get('/api/artists').set({ 'X-Request-Id': read, Authorization: `Bearer ${nothingAllowed.accessKey}` })).status).toBe(403);
    expect(await entriesOf(read)).toEqual([]);
  });

  it('keeps every password, token value and email used above out of the table, and the chain verifies', async () => {
    const everything = JSON.stringify(await strapi.db.connection(ENTRIES_TABLE).select('*'));
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(await (strapi.plugin('audit-trail').service('ledger') as LedgerService).verify()).toMatchObject({ ok: true });
  });
});
