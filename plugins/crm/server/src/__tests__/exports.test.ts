import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../../../../cms/test/strapi';
import { createFans, createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { crmHarness, type CrmHarness } from './harness';
import { PRIVACY_ROLE, joinedFan, privacyRole } from './privacy-harness';

type Auth = Record<string, string>;
type Fan = Awaited<ReturnType<typeof joinedFan>>;

/** Exports of attendees, votes and messages: streamed CSV and JSON, filtered, pseudonymous under an event's privacy mode. */
describe('exports of attendees, votes and messages', () => {
  let h: CrmHarness;
  let privacy: { auth: Auth };
  let open: Awaited<ReturnType<typeof createVotingEvent>>;
  let hidden: Awaited<ReturnType<typeof createVotingEvent>>;
  const fans: { open: Fan[]; hidden: Fan[] } = { open: [], hidden: [] };
  let bulk: string[];
  const exported = async (path: string, auth = privacy.auth) => (await http()).get(`/crm${path}`).set(auth).buffer(true).parse((res, done) => {
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    res.on('end', () => done(null, text));
  });
  const csvRows = (text: string) => text.trim().split('\r\n').map((line) => line.split(','));

  beforeAll(async () => {
    h = await crmHarness();
    await privacyRole(h);
    privacy = await h.session(PRIVACY_ROLE);
    [open, hidden] = [await createVotingEvent(h.strapi), await createVotingEvent(h.strapi)];
    await h.strapi.db.connection('events').where({ document_id: hidden.eventRef }).update({ privacy_mode: 'anonymous' });
    h.strapi.plugin('sms-voting').service('directory').clear();
    for (let i = 0; i < 2; i += 1) fans.open.push(await joinedFan(h, open));
    for (let i = 0; i < 2; i += 1) fans.hidden.push(await joinedFan(h, hidden));
    // Enough attendees that the export reads its cursor more than once (500 rows a fetch).
    bulk = await createFans(h.strapi, 600);
    const now = new Date();
    const rows = bulk.map((fanRef) => ({ document_id: crypto.randomBytes(12).toString('hex'), event_ref: hidden.eventRef, fan_ref: fanRef, source: 'web', created_at: now, updated_at: now, published_at: now }));
    for (let i = 0; i < rows.length; i += 500) await h.strapi.db.connection('sms_voting_attendances').insert(rows.slice(i, i + 500));
  });

  it('exports an event’s attendees as CSV, with the fans’ ids and contact details', async () => {
    const response = await exported(`/exports/attendees?event=${open.eventRef}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain(`attendees-${open.eventRef}.csv`);
    const [header, ...rows] = csvRows(response.body);
    expect(header).toEqual(['fan', 'event', 'event_slug', 'source', 'joined_at', 'language', 'country', 'phone', 'email']);
    expect(rows.map((row) => row[0]).sort()).toEqual(fans.open.map((fan) => fan.documentId).sort());
    // A leading + is a formula character to a spreadsheet: the number is kept as text.
    expect(rows.map((row) => row[7]).sort()).toEqual(fans.open.map((fan) => `'${fan.phone}`).sort());
    expect(rows.map((row) => row[8]).sort()).toEqual(fans.open.map((fan) => fan.email).sort());
  });

  it('under privacy mode: per-export pseudonyms, no contact columns, nothing that finds a fan', async () => {
    const [first, second] = [await exported(`/exports/attendees?event=${hidden.eventRef}&format=json`), await exported(`/exports/attendees?event=${hidden.eventRef}&format=json`)];
    expect(first.status).toBe(200);
    const rows = JSON.parse(first.body) as Record<string, string>[];
    expect(rows).toHaveLength(2 + bulk.length);
    expect(Object.keys(rows[0])).toEqual(['fan', 'event', 'event_slug', 'source', 'joined_at', 'language', 'country']);
    const pseudonyms = new Set(rows.map((row) => row.fan));
    expect(pseudonyms.size).toBe(rows.length);
    for (const pseudonym of pseudonyms) expect(pseudonym).toMatch(/^p-[A-Za-z0-9_-]{16}$/);
    // A new key per export: two exports cannot be joined on their pseudonyms.
    const again = new Set((JSON.parse(second.body) as Record<string, string>[]).map((row) => row.fan));
    expect([...pseudonyms].filter((p) => again.has(p))).toEqual([]);

    const knex = h.strapi.db.connection;
    const stored = await knex('fans').whereIn('id', fans.hidden.map((fan) => fan.id)).select('document_id', 'phone_hash', 'email_hash', 'phone_masked');
    const votes = await exported(`/exports/votes?event=${hidden.eventRef}`);
    const messages = await exported(`/exports/messages?event=${hidden.eventRef}&format=json`);
    expect(csvRows(votes.body)).toHaveLength(1 + fans.hidden.length);
    expect((JSON.parse(messages.body) as object[]).length).toBe(fans.hidden.length);
    expect(Object.keys((JSON.parse(messages.body) as object[])[0])).not.toContain('recipient');
    for (const text of [first.body, votes.body, messages.body]) {
      for (const fan of fans.hidden) for (const needle of [fan.phone, fan.phone.slice(1), fan.email, fan.documentId, fan.masked]) expect(text).not.toContain(needle);
      for (const row of stored) for (const needle of [row.phone_hash, row.email_hash]) expect(text).not.toContain(needle);
      for (const fanRef of bulk.slice(0, 50)) expect(text).not.toContain(fanRef);
    }
  });

  it('filters by date, and exports votes and messages of every event with each event’s own rule', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(csvRows((await exported(`/exports/attendees?event=${open.eventRef}&from=${tomorrow}`)).body)).toHaveLength(1);
    expect(csvRows((await exported(`/exports/attendees?event=${open.eventRef}&to=${yesterday}`)).body)).toHaveLength(1);
    expect(csvRows((await exported(`/exports/attendees?event=${open.eventRef}&from=${yesterday}&to=${tomorrow}`)).body)).toHaveLength(3);

    const since = new Date(Date.now() - 3_600_000).toISOString();
    const votes = JSON.parse((await exported(`/exports/votes?format=json&from=${encodeURIComponent(since)}`)).body) as Record<string, string>[];
    const byEvent = (ref: string) => votes.filter((vote) => vote.event === ref).map((vote) => vote.fan);
    expect(byEvent(open.eventRef).sort()).toEqual(fans.open.map((fan) => fan.documentId).sort());
    expect(byEvent(hidden.eventRef)).toHaveLength(2);
    for (const fan of fans.hidden) expect(byEvent(hidden.eventRef)).not.toContain(fan.documentId);
  });

  it('defuses spreadsheet formulas in CSV cells', async () => {
    const fan = fans.open[0];
    await h.strapi.service('api::message.message').queue([{ idempotencyKey: `exports-test:${fan.documentId}:formula`, channel: 'sms', to: fan.phone, body: 'x', purpose: '=HYPERLINK("http://evil.test","x")', topic: `round-open:${open.roundRef}` }]);
    const text = (await exported(`/exports/messages?event=${open.eventRef}`)).body;
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('refuses bad filters by name, an unknown event with 404, and anyone without the export permission', async () => {
    const bad = async (path: string, name: string) => {
      const response = await h.apiAs(privacy.auth).get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.name).toBe('ValidationError');
      expect(response.body.error.message).toContain(name);
    };
    await bad(`/exports/fans?event=${open.eventRef}`, '');
    await bad(`/exports/votes?format=xlsx`, 'format');
    await bad(`/exports/votes?from=yesterday`, 'from');
    await bad(`/exports/votes?from=2026-02-01&to=2026-01-01`, 'to');
    await bad(`/exports/votes?sql=1`, 'sql');
    expect((await h.apiAs(privacy.auth).get('/exports/votes?event=nosuchevent')).status).toBe(404);
    expect((await h.api.get(`/exports/votes?event=${open.eventRef}`)).status).toBe(403);
    // Refusals record nothing; each export is recorded, by whom, with its filters.
    const audited = async () => Number((await h.strapi.db.connection('audit_trail_entries').where({ action: 'crm.export', content_type: 'crm.votes' }).count({ n: '*' }).first())?.n);
    const before = await audited();
    await bad(`/exports/votes?format=xlsx`, 'format');
    expect((await exported(`/exports/votes?event=${open.eventRef}`)).status).toBe(200);
    expect(await audited()).toBe(before + 1);
  });
});
