import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../../shared/contracts/crm';
import { segmentQuery, type Dialect } from '../segments/compile';
import { parseRules } from '../segments/rules';
import { TABLES } from '../segments/tables';
import { installFanTagsCheck } from '../../../../../cms/src/lib/constraints';
import { scratchDatabases, type ScratchDatabase } from './databases';

const NOW = new Date('2026-06-15T12:00:00Z');
const days = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

/** The columns of the app's tables a segment reads, made here so the compiler is tested on both databases alone. */
async function createTables(knex: Knex, dialect: Dialect) {
  await knex.schema.createTable(TABLES.fans, (t) => {
    t.increments('id');
    t.string('document_id');
    t.string('phone_hash');
    t.string('email_hash');
    t.string('language');
    if (dialect === 'postgres') t.jsonb('tags');
    else t.json('tags');
    t.string('country');
    t.datetime('first_seen');
  });
  await knex.schema.createTable(TABLES.consent, (t) => {
    t.increments('id');
    t.string('subject_hash');
    t.string('channel');
    t.string('purpose');
    t.string('action');
    t.datetime('occurred_at');
  });
  for (const table of [TABLES.attendances, TABLES.votes]) {
    await knex.schema.createTable(table, (t) => {
      t.increments('id');
      t.string('fan_ref');
      t.string('event_ref');
      t.string('round_ref');
      t.datetime('created_at');
    });
  }
  await knex.schema.createTable(TABLES.inbound, (t) => {
    t.increments('id');
    t.string('from_hash');
    t.datetime('created_at');
  });
}

type FanSeed = { name: string; language?: 'en' | 'es'; tags?: unknown; country?: string | null; firstSeen?: Date; email?: boolean };

async function seed(knex: Knex) {
  const fans: FanSeed[] = [
    { name: 'ana', language: 'es', tags: ['vip', 'rock'], country: 'ES', firstSeen: days(100) },
    { name: 'bob', tags: ['rock'], country: 'US', firstSeen: days(40) },
    { name: 'cy', tags: null, country: 'US', firstSeen: days(5), email: true },
    // A row from before the database checked tags: an object, whose keys a plain `?|` would take for tags.
    { name: 'dee', tags: { rock: true }, country: null, firstSeen: days(400) },
    { name: 'eve', language: 'es', tags: ['vip'], country: 'MX', firstSeen: days(200) },
  ];
  for (const fan of fans) {
    await knex(TABLES.fans).insert({
      document_id: fan.name,
      phone_hash: `p-${fan.name}`,
      email_hash: fan.email ? `e-${fan.name}` : null,
      language: fan.language ?? 'en',
      tags: fan.tags === null || fan.tags === undefined ? null : JSON.stringify(fan.tags),
      country: fan.country ?? null,
      first_seen: fan.firstSeen ?? NOW,
    });
  }
  const consent = (name: string, purpose: string, action: 'opt_in' | 'opt_out', at: Date, channel = 'sms', subject = `p-${name}`) =>
    knex(TABLES.consent).insert({ subject_hash: subject, channel, purpose, action, occurred_at: at });
  await consent('ana', 'event:finale', 'opt_in', days(100));
  await consent('ana', 'marketing_sms', 'opt_in', days(90));
  await consent('bob', 'event:finale', 'opt_in', days(40));
  await consent('bob', 'marketing_sms', 'opt_in', days(39));
  await consent('bob', 'all', 'opt_out', days(10)); // STOP
  await consent('bob', 'all', 'opt_in', days(5)); // START: not marketing again
  await consent('cy', 'marketing_sms', 'opt_in', days(5));
  await consent('cy', 'marketing_sms', 'opt_out', days(4));
  await consent('cy', 'marketing_email', 'opt_in', days(3), 'email', 'e-cy');
  await consent('eve', 'marketing_sms', 'opt_out', days(50));
  await consent('eve', 'marketing_sms', 'opt_in', days(20));
  await knex(TABLES.attendances).insert([
    { fan_ref: 'ana', event_ref: 'finale', created_at: days(100) },
    { fan_ref: 'bob', event_ref: 'finale', created_at: days(40) },
    { fan_ref: 'eve', event_ref: 'semis', created_at: days(200) },
  ]);
  await knex(TABLES.votes).insert([
    { fan_ref: 'ana', event_ref: 'finale', round_ref: 'r1', created_at: days(99) },
    { fan_ref: 'bob', event_ref: 'finale', round_ref: 'r2', created_at: days(2) },
  ]);
  await knex(TABLES.inbound).insert({ from_hash: 'p-dee', created_at: days(1) });
}

const CASES: [string, unknown, string[]][] = [
  ['tags any', { field: 'tags', op: 'any', value: ['vip', 'jazz'] }, ['ana', 'eve']],
  ['tags all', { field: 'tags', op: 'all', value: ['vip', 'rock'] }, ['ana']],
  ['tags none (no tags and broken tags included)', { field: 'tags', op: 'none', value: ['rock'] }, ['cy', 'dee', 'eve']],
  ['language', { field: 'language', op: 'in', value: ['es'] }, ['ana', 'eve']],
  ['country in', { field: 'country', op: 'in', value: ['US', 'MX'] }, ['bob', 'cy', 'eve']],
  ['country not in (unknown country included)', { field: 'country', op: 'not_in', value: ['US'] }, ['ana', 'dee', 'eve']],
  ['attended any', { field: 'attended', op: 'any', value: ['finale'] }, ['ana', 'bob']],
  ['attended none', { field: 'attended', op: 'none', value: ['finale'] }, ['cy', 'dee', 'eve']],
  ['voted in event', { field: 'voted', op: 'in_event', value: 'finale' }, ['ana', 'bob']],
  ['voted in round', { field: 'voted', op: 'in_round', value: 'r2' }, ['bob']],
  ['joined between dates (to is inclusive)', { field: 'joined', op: 'between', value: { from: days(200).toISOString().slice(0, 10), to: days(40).toISOString().slice(0, 10) } }, ['ana', 'bob', 'eve']],
  ['joined since', { field: 'joined', op: 'between', value: { from: days(10).toISOString() } }, ['cy']],
  ['active within 7 days (joined, voted or texted)', { field: 'last_activity', op: 'within_days', value: 7 }, ['bob', 'cy', 'dee']],
  ['inactive for 7 days', { field: 'last_activity', op: 'not_within_days', value: 7 }, ['ana', 'eve']],
  ['marketing SMS consent: latest word per purpose, STOP wins over earlier opt-ins', { field: 'consent', op: 'has', value: { purpose: 'marketing_sms', channel: 'sms' } }, ['ana', 'eve']],
  ['voting consent is any keyword join not stopped', { field: 'consent', op: 'has', value: { purpose: 'voting', channel: 'sms' } }, ['ana']],
  ['email consent by the email hash', { field: 'consent', op: 'has', value: { purpose: 'marketing_email', channel: 'email' } }, ['cy']],
  ['lacks consent', { field: 'consent', op: 'lacks', value: { purpose: 'marketing_sms', channel: 'sms' } }, ['bob', 'cy', 'dee']],
  [
    'AND of an OR',
    { all: [{ field: 'language', op: 'in', value: ['es'] }, { any: [{ field: 'country', op: 'in', value: ['MX'] }, { field: 'tags', op: 'all', value: ['rock'] }] }] },
    ['ana', 'eve'],
  ],
  [
    'OR of ANDs',
    { any: [{ all: [{ field: 'country', op: 'in', value: ['US'] }, { field: 'voted', op: 'in_event', value: 'finale' }] }, { field: 'tags', op: 'any', value: ['vip'] }] },
    ['ana', 'bob', 'eve'],
  ],
];

const DATABASES = scratchDatabases('crm_compile');

describe.each(DATABASES)('segment rules compiled to one query ($dialect)', ({ dialect, make }) => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await make();
    await createTables(db.knex, dialect);
    await seed(db.knex);
    // As the cms installs it at every start, over what an older database holds.
    await installFanTagsCheck(db.knex as never, dialect);
  });
  afterAll(() => db.drop());

  const members = async (input: unknown) => {
    const parsed = parseRules(input);
    if (!('rules' in parsed)) throw new Error(JSON.stringify(parsed.issues));
    const rows = (await segmentQuery(db.knex, parsed.rules as Rule, { dialect, now: NOW }).orderBy('f.document_id').select('f.document_id')) as { document_id: string }[];
    return rows.map((row) => row.document_id);
  };

  it.each(CASES)('%s', async (_name, rule, expected) => {
    expect(await members(rule)).toEqual(expected);
  });

  it('counts a fan without a number as inactive and without SMS consent, and an erased fan’s texts (no sender) against nobody', async () => {
    const inactive = { field: 'last_activity', op: 'not_within_days', value: 7 };
    await db.knex(TABLES.fans).insert({ document_id: 'flo', phone_hash: null, email_hash: 'e-flo', language: 'en', first_seen: days(300) });
    await db.knex(TABLES.inbound).insert({ from_hash: null, created_at: days(1) });
    try {
      expect(await members(inactive)).toEqual(['ana', 'eve', 'flo']);
      expect(await members({ field: 'last_activity', op: 'within_days', value: 7 })).toEqual(['bob', 'cy', 'dee']);
      // Without a number there is no SMS consent to have; and an event never attended is not attended.
      expect(await members({ field: 'consent', op: 'lacks', value: { purpose: 'marketing_sms', channel: 'sms' } })).toEqual(['bob', 'cy', 'dee', 'flo']);
      expect(await members({ field: 'attended', op: 'none', value: ['finale'] })).toEqual(['cy', 'dee', 'eve', 'flo']);
    } finally {
      await db.knex(TABLES.fans).where({ document_id: 'flo' }).delete();
      await db.knex(TABLES.inbound).whereNull('from_hash').delete();
    }
  });

  it('holds tags as a list of text in the database: an old row is normalised, anything else refused', async () => {
    expect(await db.knex(TABLES.fans).where({ document_id: 'dee' }).first('tags')).toEqual({ tags: null });
    const fan = (name: string, tags: string) => db.knex(TABLES.fans).insert({ document_id: name, phone_hash: `p-${name}`, language: 'en', tags, first_seen: NOW });
    for (const [name, tags] of [['obj', '{"vip": 1}'], ['num', '[1, 2]'], ['lone', '"vip"'], ['nil', 'null']]) {
      await expect(fan(name, tags), name).rejects.toThrow(dialect === 'postgres' ? /fans_tags_text_list/ : /ovation_check:fans_tags_text_list/);
    }
    await fan('gus', '["vip", "jazz"]');
    try {
      expect(await members({ field: 'tags', op: 'all', value: ['jazz', 'vip'] })).toEqual(['gus']);
      await expect(db.knex(TABLES.fans).where({ document_id: 'gus' }).update({ tags: '{"jazz": true}' })).rejects.toThrow(/fans_tags_text_list/);
    } finally {
      await db.knex(TABLES.fans).where({ document_id: 'gus' }).delete();
    }
  });

  it('is a single statement, whatever the tree', () => {
    const parsed = parseRules(CASES.at(-1)?.[1]) as { rules: Rule };
    const sql = segmentQuery(db.knex, parsed.rules, { dialect, now: NOW }).count({ n: '*' }).toSQL();
    expect(Array.isArray(sql) ? sql.length : 1).toBe(1);
  });
});

describe('segment rule validation', () => {
  const issues = (input: unknown) => {
    const parsed = parseRules(input);
    return 'issues' in parsed ? parsed.issues : [];
  };

  it('names an unknown field, with where it is', () => {
    const [issue] = issues({ all: [{ field: 'language', op: 'in', value: ['en'] }, { field: 'shoe_size', op: 'in', value: [42] }] });
    expect(issue.path).toEqual(['all', '1', 'field']);
    expect(issue.message).toContain('unknown field "shoe_size"');
  });

  it('names an unknown operator for its field', () => {
    const [issue] = issues({ any: [{ field: 'tags', op: 'contains', value: ['vip'] }] });
    expect(issue.path).toEqual(['any', '0', 'op']);
    expect(issue.message).toContain('unknown operator "contains" for tags');
  });

  it('refuses bad values, unknown purposes, empty groups and extra keys', () => {
    expect(issues({ field: 'country', op: 'in', value: ['usa'] })[0].path).toEqual(['value', '0']);
    expect(issues({ field: 'consent', op: 'has', value: { purpose: 'spam', channel: 'sms' } })[0].path).toEqual(['value', 'purpose']);
    expect(issues({ all: [] })[0].path).toEqual(['all']);
    expect(issues({ field: 'language', op: 'in', value: ['en'], sql: '1=1' })[0].message).toContain('"sql"');
    expect(issues({ field: 'joined', op: 'between', value: {} })).toHaveLength(1);
    expect(issues('everyone')).toHaveLength(1);
  });

  it('refuses trees nested too deep', () => {
    let rule: unknown = { field: 'language', op: 'in', value: ['en'] };
    for (let i = 0; i < 7; i += 1) rule = { all: [rule] };
    expect(issues(rule)[0].message).toContain('nest at most');
  });
});
