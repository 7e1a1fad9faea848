/**
 * Who changed accounts and permissions, through the real routes: admin users, admin roles and their
 * permissions, users-permissions roles, API and transfer tokens, a fan's consent by SMS, rounds
 * opened and closed. Each request carries its own X-Request-Id, so "exactly one entry" is counted
 * per request.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES, type AdminUser } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { nextPhoneNumber, sendSms } from '../../../../sms-voting/server/src/__tests__/sms';
import { subjectKey } from '../../../../sms-voting/server/src/utils/ids';
import type { EntryRow } from '../utils/entry';
import { ENTRIES_TABLE } from '../utils/schema';
import { diffOf, requestEntries } from './request-entries';

describe('audit trail: accounts, roles, permissions, tokens, consent and rounds', () => {
  let strapi: Core.Strapi;
  let admin: AdminUser;
  let session: Record<string, string>;
  let entries: ReturnType<typeof requestEntries>;
  const as = (id: string, headers: Record<string, string> = session) => ({ ...headers, 'X-Request-Id': id });

  beforeAll(async () => {
    strapi = await bootStrapi();
    entries = requestEntries(strapi);
    admin = await createAdminUser(strapi);
    entries.secrets.push(admin.password, admin.email);
    session = { Authorization: `Bearer ${await adminToken(admin)}` };
  });

  const roleId = async (code: string) => (await strapi.db.query('admin::role').findOne({ where: { code } })).id as number;

  it('records admin users created, updated (roles shown, no email or password) and deleted, in the change’s transaction', async () => {
    const email = `invited-${entries.run}@ovation.test`;
    entries.secrets.push(email, 'Changed-Pw-12345');
    const create = entries.requestId();
    const created = await (await http())
      .post('/admin/users')
      .set(as(create))
      .send({ firstname: 'Invited', lastname: `User ${entries.run}`, email, roles: [await roleId(ROLES.superAdmin)] })
      .expect(201);
    const id = created.body.data.id as number;
    const creation = await entries.onlyEntry(create);
    expect(creation).toMatchObject({ action: 'admin.user.create', actor_kind: 'admin', actor_id: String(admin.id), origin: 'admin', document_id: String(id) });
    expect(diffOf(creation).after).toMatchObject({ firstname: 'Invited', roles: [ROLES.superAdmin], email: '[redacted]' });

    const update = entries.requestId();
    await (await http())
      .put(`/admin/users/${id}`)
      .set(as(update))
      .send({ firstname: 'Renamed', roles: [await roleId(ROLES.editor)], password: 'Changed-Pw-12345' })
      .expect(200);
    const updated = await entries.onlyEntry(update);
    expect(updated).toMatchObject({ action: 'admin.user.update', document_id: String(id) });
    expect(diffOf(updated)).toEqual({
      before: { firstname: 'Invited', roles: [ROLES.superAdmin], password: '[redacted]' },
      after: { firstname: 'Renamed', roles: [ROLES.editor], password: '[redacted]' },
    });

    // An entry that cannot be written fails the change: nothing is renamed.
    await entries.refusingEntries(`NEW.action = 'admin.user.update' AND NEW.document_id = '${id}'`, async () => {
      const res = await (await http()).put(`/admin/users/${id}`).set(session).send({ firstname: 'Unrecorded' });
      expect(res.status).toBeGreaterThanOrEqual(500);
    });
    expect((await strapi.db.query('admin::user').findOne({ where: { id } })).firstname).toBe('Renamed');

    const remove = entries.requestId();
    await (await http()).delete(`/admin/users/${id}`).set(as(remove)).expect(200);
    const removal = await entries.onlyEntry(remove);
    expect(removal).toMatchObject({ action: 'admin.user.delete', document_id: String(id) });
    expect(diffOf(removal)).toMatchObject({ before: { firstname: 'Renamed', roles: [ROLES.editor] }, after: null });
  });

  it('records admin roles and the permissions added and removed; a refused rename as a failure', async () => {
    const create = entries.requestId();
    const created = await (await http()).post('/admin/roles').set(as(create)).send({ name: `Reviewers ${entries.run}`, description: 'Read only' }).expect(201);
    const id = created.body.data.id as number;
    expect(await entries.onlyEntry(create)).toMatchObject({ action: 'admin.role.create', document_id: String(id), actor_kind: 'admin' });

    const grant = entries.requestId();
    const permissions = [{ action: 'plugin::upload.read', subject: null, properties: {}, conditions: [] }];
    await (await http()).put(`/admin/roles/${id}/permissions`).set(as(grant)).send({ permissions }).expect(200);
    expect(diffOf(await entries.onlyEntry(grant))).toEqual({ before: { permissions: [] }, after: { permissions: ['plugin::upload.read'] } });

    const revoke = entries.requestId();
    await (await http()).put(`/admin/roles/${id}/permissions`).set(as(revoke)).send({ permissions: [] }).expect(200);
    const revoked = await entries.onlyEntry(revoke);
    expect(revoked).toMatchObject({ action: 'admin.role.permissions', document_id: String(id) });
    expect(diffOf(revoked)).toEqual({ before: { permissions: ['plugin::upload.read'] }, after: { permissions: [] } });

    const rename = entries.requestId();
    await (await http()).put(`/admin/roles/${id}`).set(as(rename)).send({ name: `Readers ${entries.run}`, description: 'Read only' }).expect(200);
    expect(diffOf(await entries.onlyEntry(rename))).toEqual({ before: { name: `Reviewers ${entries.run}` }, after: { name: `Readers ${entries.run}` } });

    // Another role's name is refused by Strapi's role service: the refusal is recorded, nothing changes.
    const taken = entries.requestId();
    expect((await (await http()).put(`/admin/roles/${id}`).set(as(taken)).send({ name: 'Editor', description: 'Read only' })).status).toBe(400);
    const refusal = await entries.onlyEntry(taken);
    expect(refusal).toMatchObject({ action: 'admin.role.update', outcome: 'failure', document_id: String(id), diff: '{"after":null,"before":null}' });
    expect(JSON.parse(refusal.error as string)).toMatchObject({ name: 'ApplicationError' });

    const remove = entries.requestId();
    await (await http()).delete(`/admin/roles/${id}`).set(as(remove)).expect(200);
    expect(await entries.onlyEntry(remove)).toMatchObject({ action: 'admin.role.delete', outcome: 'success', document_id: String(id) });
  });

  it('records users-permissions roles with the content-API actions added and removed', async () => {
    const name = `Partners ${entries.run}`;
    const allow = (enabled: boolean) => ({ 'api::artist': { controllers: { artist: { find: { enabled }, findOne: { enabled: true } } } } });
    const create = entries.requestId();
    await (await http()).post('/users-permissions/roles').set(as(create)).send({ name, description: 'Partner apps', permissions: allow(true) }).expect(200);
    const created = await entries.onlyEntry(create);
    expect(created).toMatchObject({ action: 'user.role.create', content_type: 'plugin::users-permissions.role', actor_kind: 'admin' });
    expect(diffOf(created).after).toMatchObject({ name, permissions: ['api::artist.artist.find', 'api::artist.artist.findOne'] });
    const id = created.document_id as string;

    const update = entries.requestId();
    await (await http()).put(`/users-permissions/roles/${id}`).set(as(update)).send({ name, description: 'Partner apps', permissions: allow(false) }).expect(200);
    expect(diffOf(await entries.onlyEntry(update))).toEqual({ before: { permissions: ['api::artist.artist.find'] }, after: { permissions: [] } });

    const remove = entries.requestId();
    await (await http()).delete(`/users-permissions/roles/${id}`).set(as(remove)).expect(200);
    expect(await entries.onlyEntry(remove)).toMatchObject({ action: 'user.role.delete', document_id: id });
  });

  it('records API tokens created, regenerated, updated and revoked by name and id, never their value', async () => {
    const name = `partner-${entries.run}`;
    const create = entries.requestId();
    const created = await (await http()).post('/admin/api-tokens').set(as(create)).send({ name, description: 'Partner', type: 'read-only', lifespan: null }).expect(201);
    const id = String(created.body.data.id);
    entries.secrets.push(created.body.data.accessKey);
    const creation = await entries.onlyEntry(create);
    expect(creation).toMatchObject({ action: 'api-token.create', content_type: 'admin::api-token', document_id: id, actor_kind: 'admin' });
    expect(diffOf(creation).after).toMatchObject({ name, type: 'read-only', kind: 'content-api' });

    const regenerate = entries.requestId();
    const regenerated = await (await http()).post(`/admin/api-tokens/${id}/regenerate`).set(as(regenerate)).expect(201);
    entries.secrets.push(regenerated.body.data.accessKey);
    expect(await entries.onlyEntry(regenerate)).toMatchObject({ action: 'api-token.regenerate', document_id: id, diff: JSON.stringify({ after: { name }, before: null }) });

    const update = entries.requestId();
    await (await http()).put(`/admin/api-tokens/${id}`).set(as(update)).send({ name: `${name}-renamed`, description: 'Partner', type: 'full-access' }).expect(200);
    expect(diffOf(await entries.onlyEntry(update))).toEqual({ before: { name, type: 'read-only' }, after: { name: `${name}-renamed`, type: 'full-access' } });

    const revoke = entries.requestId();
    await (await http()).delete(`/admin/api-tokens/${id}`).set(as(revoke)).expect(200);
    expect(await entries.onlyEntry(revoke)).toMatchObject({ action: 'api-token.revoke', document_id: id });

    const transfer = entries.requestId();
    const made = await (await http()).post('/admin/transfer/tokens').set(as(transfer)).send({ name: `mirror-${entries.run}`, permissions: ['push'], lifespan: null }).expect(201);
    entries.secrets.push(made.body.data.accessKey);
    expect(diffOf(await entries.onlyEntry(transfer)).after).toMatchObject({ name: `mirror-${entries.run}`, permissions: ['push'] });
    const dropTransfer = entries.requestId();
    await (await http()).delete(`/admin/transfer/tokens/${made.body.data.id}`).set(as(dropTransfer)).expect(200);
    expect(await entries.onlyEntry(dropTransfer)).toMatchObject({ action: 'transfer-token.revoke', document_id: String(made.body.data.id) });
  });

  it("records a fan's opt-out and opt-in by SMS as the fan, by subject key, never the number", async () => {
    const phone = nextPhoneNumber();
    entries.secrets.push(phone, phone.slice(1));
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
    const open = entries.requestId();
    await (await http()).post(`/sms-voting/rounds/${second.documentId}/open`).set(as(open)).expect(200);
    const opened = await entries.entriesOf(open);
    // The round it ends is closed first (as partners' webhooks tell it), then it opens.
    expect(opened.map((row) => [row.action, row.document_id])).toEqual([
      ['round.close', event.roundRef],
      ['round.open', second.documentId],
    ]);
    expect(opened[1]).toMatchObject({ actor_kind: 'admin', actor_id: String(admin.id), content_type: 'api::round.round' });

    const close = entries.requestId();
    await (await http()).post(`/sms-voting/rounds/${second.documentId}/close`).set(as(close)).expect(200);
    expect(await entries.onlyEntry(close)).toMatchObject({ action: 'round.close', document_id: second.documentId, actor_kind: 'admin' });

    const third = await strapi.documents('api::round.round').create({
      data: { event: event.eventRef, number: 3, state: 'pending', opens_at: new Date(Date.now() - 1000), closes_at: new Date(Date.now() + 60_000) } as never,
    });
    await strapi.plugin('sms-voting').service('rounds').applySchedule();
    const scheduled = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'round.open', document_id: third.documentId });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ actor_kind: 'job', actor_name: 'round.schedule', origin: 'worker' });
  });

  it('keeps every password, token value and email used above out of the table, and the chain verifies', () => entries.expectNoSecrets());
});
