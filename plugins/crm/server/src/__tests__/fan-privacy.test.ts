import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { sendSms } from '../../../../sms-voting/server/src/__tests__/sms';
import { getService } from '../utils/get-service';
import { crmHarness, type CrmHarness } from './harness';
import { PRIVACY_ROLE, joinedFan, privacyRole } from './privacy-harness';

type Auth = Record<string, string>;
const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'bytea'];

/** The fan page's API, one fan's export and erasure: masked by default, revealed and exported with the permissions, audited. */
describe('a fan: search, history, reveal, export, erase', () => {
  let h: CrmHarness;
  let privacy: { auth: Auth; user: { id: number } };
  const auditOf = (action: string, documentId: string) =>
    h.strapi.db.connection('audit_trail_entries').where({ action, document_id: documentId }).orderBy('seq');

  beforeAll(async () => {
    h = await crmHarness();
    await privacyRole(h);
    privacy = await h.session(PRIVACY_ROLE);
  });

  it('finds a fan by number or address through its hash, and shows their history with contact details masked', async () => {
    const fan = await joinedFan(h);
    // The number as a person types it, the address in other case: the same fan.
    const spaced = `${fan.phone.slice(0, 2)} ${fan.phone.slice(2, 5)} ${fan.phone.slice(5, 8)} ${fan.phone.slice(8)}`;
    for (const q of [spaced, fan.typedEmail.toUpperCase()]) {
      const found = await h.api.get(`/fans?q=${encodeURIComponent(q)}`);
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      expect(found.body.data.fans.map((f: { id: number }) => f.id)).toEqual([fan.id]);
    }
    expect((await h.api.get(`/fans?q=${encodeURIComponent('+12025550199')}`)).body.data.fans).toEqual([]);
    const bad = await h.api.get('/fans?q=hello');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ name: 'ValidationError', details: { errors: [{ path: ['q'] }] } });

    const profile = await h.api.get(`/fans/${fan.id}`);
    expect(profile.status).toBe(200);
    const { data } = profile.body;
    expect(data.fan).toMatchObject({ documentId: fan.documentId, phone: fan.masked, email: `${fan.email[0]}***@example.test` });
    expect(data.consents.map((c: { purpose: string; action: string; channel: string }) => `${c.channel}:${c.purpose}:${c.action}`)).toEqual(
      expect.arrayContaining(['sms:marketing_sms:opt_in', 'email:marketing_email:opt_in', `sms:event:${fan.event.slug}:opt_in`])
    );
    expect(data.consents.find((c: { purpose: string }) => c.purpose === 'marketing_sms').evidence).toMatchObject({ version: 'sms-invite-v1' });
    expect(data.attendances).toEqual([expect.objectContaining({ eventRef: fan.event.eventRef, eventSlug: fan.event.slug, source: 'sms' })]);
    expect(data.votes).toEqual([expect.objectContaining({ roundRef: fan.event.roundRef, roundNumber: 1, voteCode: '2', channel: 'sms' })]);
    expect(data.messages.map((m: { channel: string; state: string }) => `${m.channel}:${m.state}`).sort()).toEqual(['email:queued', 'sms:queued']);
    const text = JSON.stringify(profile.body);
    expect(text).not.toContain(fan.phone);
    expect(text).not.toContain(fan.email);
  });

  it('reveals the contact details only with plugin::crm.reveal-contact, and records each reveal', async () => {
    const fan = await joinedFan(h);
    expect((await h.api.post(`/fans/${fan.id}/reveal`)).status).toBe(403);
    expect(await auditOf('crm.fan.reveal', fan.documentId)).toHaveLength(0);
    const revealed = await h.apiAs(privacy.auth).post(`/fans/${fan.id}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.body.data).toEqual({ phone: fan.phone, email: fan.email });
    const [entry] = await auditOf('crm.fan.reveal', fan.documentId);
    expect(entry).toMatchObject({ actor_kind: 'admin', actor_id: String(privacy.user.id), content_type: 'api::fan.fan', outcome: 'success' });
    expect((await h.apiAs({}).get(`/fans/${fan.id}`)).status).toBe(401);
    expect((await h.api.get('/fans/999999999')).status).toBe(404);
  });

  it('sets a fan’s tags for segments to pick, refuses tags that are not short text, and records each change', async () => {
    const fan = await joinedFan(h);
    const tag = h.tag('tagged');
    const members = async () => (await h.api.post('/segments/count', { rules: h.byTag(tag) })).body.data.count;
    expect(await members()).toBe(0);

    const set = await h.api.put(`/fans/${fan.id}/tags`, { tags: [` ${tag} `, 'vip', tag] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.data).toMatchObject({ id: fan.id, tags: [tag, 'vip'] });
    expect(await members()).toBe(1);
    expect((await h.api.get(`/fans/${fan.id}`)).body.data.fan.tags).toEqual([tag, 'vip']);

    // As the pg driver hands Strapi a JSON column: its text.
    const stored = async () => JSON.parse((await h.strapi.db.connection('fans').where({ id: fan.id }).first('tags')).tags);
    for (const [body, path] of [
      [{ tags: { vip: true } }, ['tags']],
      [{ tags: [1, 2] }, ['tags', '0']],
      [{ tags: ['   '] }, ['tags', '0']],
      [{ tags: ['a'.repeat(61)] }, ['tags', '0']],
      [{ tags: ['line\nbreak'] }, ['tags', '0']],
      [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, ['tags']],
      [{ tags: ['vip'], extra: 1 }, []],
    ] as [object, string[]][]) {
      const refused = await h.api.put(`/fans/${fan.id}/tags`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.name).toBe('ValidationError');
      if (path.length) expect(refused.body.error.details.errors[0].path).toEqual(path);
    }
    expect(await stored()).toEqual([tag, 'vip']);
    const editor = await h.session(h.ROLES.editor);
    expect((await h.apiAs(editor.auth).put(`/fans/${fan.id}/tags`, { tags: [] })).status).toBe(403);
    expect((await h.api.put('/fans/999999999/tags', { tags: [] })).status).toBe(404);

    expect((await h.api.put(`/fans/${fan.id}/tags`, { tags: ['vip'] })).body.data.tags).toEqual(['vip']);
    expect(await members()).toBe(0);
    const entries = await auditOf('crm.fan.tags', fan.documentId);
    const after = (entry: { diff: unknown }) => (typeof entry.diff === 'string' ? JSON.parse(entry.diff) : entry.diff).after;
    expect(entries.map(after)).toEqual([
      { fan: fan.id, added: [tag, 'vip'], removed: [] },
      { fan: fan.id, added: [], removed: [tag] },
    ]);
  });

  it('exports one fan’s data as JSON with the export permission, and records it', async () => {
    const fan = await joinedFan(h);
    expect((await h.api.get(`/fans/${fan.id}/export`)).status).toBe(403);
    const exported = await h.apiAs(privacy.auth).get(`/fans/${fan.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toContain(`fan-${fan.documentId}.json`);
    const { data } = exported.body;
    expect(data.fan).toMatchObject({ documentId: fan.documentId, phone: fan.phone, email: fan.email, language: 'en' });
    expect(data.consents.length).toBeGreaterThanOrEqual(3);
    expect(data.attendances).toHaveLength(1);
    expect(data.votes).toHaveLength(1);
    expect(data.messages).toHaveLength(2);
    expect(await auditOf('crm.fan.export', fan.documentId)).toHaveLength(1);
  });

  it('erases a fan: nothing in any table finds them, results unchanged, the number stays opted out', async () => {
    const event = await createVotingEvent(h.strapi);
    const other = await joinedFan(h, event, { email: false });
    const fan = await joinedFan(h, event);
    const knex = h.strapi.db.connection;
    const stored = await knex('fans').where({ id: fan.id }).first();
    const sealedMessages = (await knex('messages').whereIn('recipient_hash', [stored.phone_hash, stored.email_hash]).pluck('recipient_encrypted')) as string[];
    const board = async () => (await (await http()).get(`/api/sms-voting/events/${event.slug}/leaderboard`)).body.data;
    const votesPerEntry = () => knex('sms_voting_votes').where({ round_ref: event.roundRef }).groupBy('entry_ref').select('entry_ref', knex.raw('count(*) as n')).orderBy('entry_ref');
    const [boardBefore, countsBefore] = [await board(), await votesPerEntry()];
    expect(boardBefore.totalVotes).toBe(2);

    // A confirmation that is not the fan's id erases nobody.
    const unconfirmed = await h.api.post(`/fans/${fan.id}/erase`, { confirm: 'yes' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details.errors[0].path).toEqual(['confirm']);
    expect(await knex('fans').where({ id: fan.id }).first()).toBeTruthy();

    const erased = await h.api.post(`/fans/${fan.id}/erase`, { confirm: fan.documentId });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.data).toMatchObject({ erased: fan.documentId, votesAnonymised: 1, attendancesAnonymised: 1, messagesCleared: 2 });
    // The join, the vote and the YES: kept as rows, without their sender or text.
    expect(erased.body.data.inboundCleared).toBe(3);
    // Messages still waiting to go never will.
    expect(await knex('messages').where('idempotency_key', 'like', `privacy-test:${fan.documentId}:%`).pluck('state')).toEqual(['suppressed', 'suppressed']);

    // Every text, JSON and binary column of every table, for every form the number and address were stored in.
    const needles: Record<string, string> = {
      phone: fan.phone,
      'phone without +': fan.phone.slice(1),
      'national number': fan.phone.slice(2),
      email: fan.email,
      'phone hash': stored.phone_hash,
      'email hash': stored.email_hash,
      'phone ciphertext': stored.phone_encrypted,
      'email ciphertext': stored.email_encrypted,
      ...Object.fromEntries(sealedMessages.map((sealed, i) => [`message ciphertext ${i}`, sealed])),
    };
    const postgres = h.strapi.db.dialect.client === 'postgres';
    const columns = (
      postgres
        ? await knex('information_schema.columns').whereRaw('table_schema = current_schema()').whereIn('data_type', TEXT_TYPES).select('table_name', 'column_name')
        : // SQLite: every column of every table (its types are only affinities).
          await knex.raw("SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'")
    ) as { table_name: string; column_name: string }[];
    expect(columns.length).toBeGreaterThan(100);
    const found: string[] = [];
    // One query per column, one flag per needle.
    const names = Object.keys(needles);
    for (const { table_name: table, column_name: column } of columns) {
      const flags = names.map((_, i) => (postgres ? `bool_or(position(? in ??::text) > 0) AS n${i}` : `max(instr(CAST(?? AS TEXT), ?) > 0) AS n${i}`)).join(', ');
      const bindings = names.flatMap((name) => (postgres ? [needles[name], column] : [column, needles[name]]));
      const [row] = (await knex(table).select(knex.raw(flags, bindings))) as Record<string, unknown>[];
      names.forEach((name, i) => {
        if (row?.[`n${i}`] === true || Number(row?.[`n${i}`]) === 1) found.push(`${table}.${column}: ${name}`);
      });
    }
    // Only the ledger keeps the hashes, for the opt-out alone (README, "Privacy").
    expect(found.sort()).toEqual(['consent_records.subject_hash: email hash', 'consent_records.subject_hash: phone hash']);
    const ledger = await knex('consent_records').whereIn('subject_hash', [stored.phone_hash, stored.email_hash]).select('channel', 'purpose', 'action', 'source', 'evidence', 'ip');
    expect(ledger.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'email', purpose: 'all', action: 'opt_out', source: 'erasure', evidence: null, ip: null },
      { channel: 'sms', purpose: 'all', action: 'opt_out', source: 'erasure', evidence: null, ip: null },
    ]);

    // Nothing the fan did points at their old id any more (only the audit trail, append-only, names it).
    for (const table of ['sms_voting_votes', 'sms_voting_attendances', 'sms_voting_vote_tokens']) expect(Number((await knex(table).where({ fan_ref: fan.documentId }).count({ n: '*' }).first())?.n)).toBe(0);

    // The votes still count, the other fan's too.
    expect(await votesPerEntry()).toEqual(countsBefore);
    expect((await board()).entries).toEqual(boardBefore.entries);
    expect((await h.api.get(`/fans/${other.id}`)).body.data.votes).toHaveLength(1);
    const [entry] = await auditOf('crm.fan.erase', fan.documentId);
    expect(entry).toMatchObject({ actor_kind: 'admin', actor_id: String(h.marketing.user.id), outcome: 'success' });

    // The same number joins again: a new fan, never messaged about marketing until they opt in anew.
    expect((await sendSms({ from: fan.phone, body: event.keyword })).response.status).toBe(200);
    const again = (await h.strapi.service('api::fan.fan').findByPhone(fan.phone)) as { id: number; documentId: string; phone_hash: string };
    expect(again.documentId).not.toBe(fan.documentId);
    expect(await getService(h.strapi, 'send-gate').consents(again.phone_hash, 'sms')).toBe(false);
    const rejoined = (await h.api.get(`/fans/${again.id}`)).body.data;
    expect(rejoined.votes).toEqual([]);
    expect(rejoined.attendances).toHaveLength(1);
    expect((await h.api.get(`/fans/${fan.id}`)).status).toBe(404);
  });

  it('the consent ledger still refuses to lose records outside an erasure', async () => {
    const knex = h.strapi.db.connection;
    const row = await knex('consent_records').first('id');
    await expect(knex('consent_records').where({ id: row.id }).delete()).rejects.toThrow(/append-only/);
  });
});
