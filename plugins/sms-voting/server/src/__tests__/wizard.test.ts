/**
 * The event wizard's routes (admin API): a whole event saved in one transaction, every refusal a
 * 400 at its field with nothing written, and the keyword check.
 */
import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminToken, createAdminUser } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { WIZARD_API, type EventWizardInput } from '../../../shared/contracts';

const RUN = Date.now().toString(36).toUpperCase();
let sequence = 0;
const HOUR = 3_600_000;
/** Every table a wizard save writes: the documents, their relation links, and the audit trail. */
const TABLES = ['events', 'rounds', 'lineup_entries', 'artists', 'rounds_event_lnk', 'lineup_entries_event_lnk', 'lineup_entries_artist_lnk', 'audit_trail_entries'];

describe('the event wizard', () => {
  let strapi: Core.Strapi;
  let auth: { Authorization: string };
  const existing: { documentId: string; name: string }[] = [];

  const counts = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, Number((await strapi.db.connection(table).count({ n: '*' }).first())?.n)])));

  /** A complete submission: two rounds, two existing artists and two new ones, each run's keyword its own. */
  const submission = (publish = true): EventWizardInput => {
    sequence += 1;
    const start = Date.now() + 24 * HOUR;
    const at = (hours: number) => new Date(start + hours * HOUR).toISOString();
    return {
      details: {
        title: { en: `Wizard night ${RUN}-${sequence}`, es: `Noche del asistente ${RUN}-${sequence}` },
        description: { en: 'Two rounds, four acts.', es: 'Dos rondas, cuatro actos.' },
        venue: 'Teatro Real',
        city: 'Madrid',
        timezone: 'Europe/Madrid',
        startsAt: at(0),
        endsAt: at(4),
        keyword: `W${RUN}${sequence}`.slice(0, 20),
        capacity: 500,
        resultsVisibility: 'after_close',
        privacyMode: 'standard',
      },
      rounds: [
        { number: 1, title: { en: 'Opening', es: 'Apertura' }, opensAt: at(0.5), closesAt: at(1.5) },
        { number: 2, title: { en: 'Final', es: 'Final' }, opensAt: at(2), closesAt: at(3) },
      ],
      lineup: [
        { artist: { documentId: existing[0].documentId }, voteCode: '1' },
        { artist: { documentId: existing[1].documentId }, voteCode: '2' },
        { artist: { name: `New act ${RUN}-${sequence}a` }, voteCode: '3' },
        { artist: { name: `New act ${RUN}-${sequence}b` }, voteCode: '4' },
      ],
      publish,
    };
  };

  const post = async (body: unknown) => (await http()).post(`${WIZARD_API.create()}`).set(auth).send(body as object);

  beforeAll(async () => {
    strapi = await bootStrapi();
    auth = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    for (const letter of ['a', 'b']) {
      const name = `Known act ${RUN}${letter}`;
      const artist = await strapi.documents('api::artist.artist').create({ locale: 'en', status: 'published', data: { name, slug: `known-${RUN}-${letter}`.toLowerCase() } as never });
      existing.push({ documentId: artist.documentId, name });
    }
  });

  afterAll(() => vi.restoreAllMocks());

  it('creates and publishes the event in English and Spanish with its rounds, lineup and new artists; the webhooks and the audit trail see the publish', async () => {
    const emit = vi.spyOn(strapi.plugin('webhooks').service('events'), 'emit');
    const input = submission();
    const response = await post(input);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { documentId, slug, published } = response.body.data;
    expect(published).toBe(true);

    const events = await strapi.db.connection('events').where({ document_id: documentId }).select('locale', 'title', 'description', 'keyword', 'published_at', 'timezone', 'capacity');
    expect(events).toHaveLength(4); // a draft and a published row per locale
    for (const locale of ['en', 'es'] as const) {
      const rows = events.filter((row) => row.locale === locale);
      expect(rows.map((row) => Boolean(row.published_at)).sort()).toEqual([false, true]);
      expect(rows.every((row) => row.title === input.details.title[locale] && row.description === input.details.description[locale])).toBe(true);
    }
    expect(events[0]).toMatchObject({ keyword: input.details.keyword, timezone: 'Europe/Madrid', capacity: 500 });

    const rounds = await strapi.db.connection('rounds').where({ event_ref: documentId }).orderBy('number').select('number', 'title', 'title_es', 'state');
    expect(rounds).toEqual([
      { number: 1, title: 'Opening', title_es: 'Apertura', state: 'pending' },
      { number: 2, title: 'Final', title_es: 'Final', state: 'pending' },
    ]);
    const lineup = await strapi.db
      .connection('lineup_entries as l')
      .join('artists as a', 'a.document_id', 'l.artist_ref')
      .where({ 'l.event_ref': documentId, 'a.locale': 'en' })
      .whereNotNull('a.published_at')
      .orderBy('l.order')
      .select('l.vote_code', 'a.name');
    expect(lineup).toEqual([
      { vote_code: '1', name: existing[0].name },
      { vote_code: '2', name: existing[1].name },
      { vote_code: '3', name: `New act ${RUN}-${sequence}a` },
      { vote_code: '4', name: `New act ${RUN}-${sequence}b` },
    ]);

    // The public site reads the published event in Spanish.
    const es = await (await http()).get(`/api/events?filters[slug][$eq]=${slug}&locale=es`).expect(200);
    expect(es.body.data[0]?.title).toBe(input.details.title.es);
    // Partners' webhooks and the audit trail hook the Document Service: they saw the publish.
    await vi.waitFor(() => expect(emit).toHaveBeenCalledWith('event.published', expect.objectContaining({ documentId, locale: 'es' })));
    const audit = await strapi.db.connection('audit_trail_entries').where({ content_type: 'api::event.event', document_id: documentId, action: 'publish' }).first('seq');
    expect(audit).toBeDefined();
  });

  it('opens an event for editing prefilled, and saves a change of round times and swapped vote codes in one go', async () => {
    const created = await post(submission(false));
    expect(created.status).toBe(201);
    const { documentId } = created.body.data;
    const drafts = async () => (await (await http()).get(WIZARD_API.drafts()).set(auth).expect(200)).body.data.map((event: { documentId: string }) => event.documentId);
    expect(await drafts()).toContain(documentId);
    // Round 1 opened by hand before the event's start: its times are now what happened, not the plan.
    const first = await strapi.db.connection('rounds').where({ event_ref: documentId, number: 1 }).first('document_id');
    expect((await strapi.plugin('sms-voting').service('rounds').open(first.document_id)).opened).toBe(true);
    const openedAt = (await strapi.db.connection('rounds').where({ document_id: first.document_id }).first('opens_at')).opens_at;
    const loaded = await (await http()).get(WIZARD_API.event(documentId)).set(auth).expect(200);
    const draft = loaded.body.data as EventWizardInput & { published: boolean };
    expect(draft.published).toBe(false);
    expect(draft.details.title.es).toMatch(/^Noche del asistente/);
    expect(draft.lineup.map((entry) => [entry.artist.name, entry.voteCode])).toEqual([
      [existing[0].name, '1'],
      [existing[1].name, '2'],
      [expect.stringMatching(/a$/), '3'],
      [expect.stringMatching(/b$/), '4'],
    ]);

    [draft.lineup[0].voteCode, draft.lineup[1].voteCode] = ['2', '1'];
    draft.rounds[1].title.es = 'Gran final';
    draft.rounds.push({ number: 3, title: { en: 'Encore', es: 'Bis' }, opensAt: draft.rounds[1].closesAt, closesAt: draft.details.endsAt });
    const saved = await (await http()).put(WIZARD_API.event(documentId)).set(auth).send({ ...draft, publish: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await strapi.db.connection('lineup_entries').where({ event_ref: documentId }).orderBy('order').pluck('vote_code')).toEqual(['2', '1', '3', '4']);
    expect(await strapi.db.connection('rounds').where({ event_ref: documentId }).orderBy('number').pluck('title_es')).toEqual(['Apertura', 'Gran final', 'Bis']);
    expect((await strapi.db.connection('rounds').where({ document_id: first.document_id }).first('opens_at', 'state'))).toEqual({ opens_at: openedAt, state: 'open' });
    expect(await strapi.db.connection('events').where({ document_id: documentId }).whereNotNull('published_at').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect((await (await http()).get(WIZARD_API.event(documentId)).set(auth)).body.data.published).toBe(true);
    expect(await drafts()).not.toContain(documentId);
  });

  it('lets only one of two simultaneous submissions have a keyword', async () => {
    const first = submission();
    const second = submission();
    second.details.keyword = first.details.keyword;
    const before = await strapi.db.connection('events').where({ keyword: first.details.keyword }).count({ n: '*' }).first();
    const statuses = (await Promise.all([post(first), post(second)])).map((response) => response.status).sort();
    expect(statuses).toEqual([201, 400]);
    const holders = await strapi.db.connection('events').where({ keyword: first.details.keyword }).distinct('document_id');
    expect([Number(before?.n), holders.length]).toEqual([0, 1]);
  });

  const badInput: [string, (input: EventWizardInput) => void, (string | number)[]][] = [
    ['the event ends before it starts', (i) => { i.details.endsAt = new Date(Date.parse(i.details.startsAt) - HOUR).toISOString(); }, ['details', 'endsAt']],
    ['overlapping rounds', (i) => { i.rounds[1].opensAt = new Date(Date.parse(i.rounds[0].closesAt) - 60_000).toISOString(); }, ['rounds', 1, 'opensAt']],
    ['a round closing after the event', (i) => { i.rounds[1].closesAt = new Date(Date.parse(i.details.endsAt) + HOUR).toISOString(); }, ['rounds', 1, 'closesAt']],
    ['a keyword another event uses', (i) => { i.details.keyword = takenKeyword; }, ['details', 'keyword']],
    ['a keyword that is an SMS command', (i) => { i.details.keyword = 'stop'; }, ['details', 'keyword']],
    ['a vote code twice', (i) => { i.lineup[3].voteCode = '1'; }, ['lineup', 3, 'voteCode']],
    ['a vote code that is another event’s keyword', (i) => { i.lineup[3].voteCode = takenKeyword.slice(0, 10); }, ['lineup', 3, 'voteCode']],
  ];
  let takenKeyword = '';

  it.each(badInput)('refuses %s with a 400 at the field, and writes nothing', async (_name, spoil, path) => {
    if (!takenKeyword) {
      takenKeyword = `T${crypto.randomBytes(3).toString('hex')}`.toUpperCase();
      await strapi.documents('api::event.event').create({ locale: 'en', data: { title: 'Keyword holder', slug: `holder-${takenKeyword.toLowerCase()}`, keyword: takenKeyword, starts_at: new Date(), timezone: 'UTC' } as never });
    }
    const input = submission();
    spoil(input);
    const before = await counts();
    const response = await post(input);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.details.errors.map((e: { path: unknown[] }) => e.path)).toContainEqual(path.map(String));
    expect(await counts()).toEqual(before);
    // The same rules answer the wizard's step check, which writes nothing either.
    const checked = await (await http()).post(WIZARD_API.validate()).set(auth).send(input);
    expect(checked.status).toBe(400);
    expect(checked.body.error.details.errors.map((e: { path: unknown[] }) => e.path)).toContainEqual(path.map(String));
    expect(await counts()).toEqual(before);
  });

  it('leaves no partial event when the last lineup row fails after everything before it was written', async () => {
    const input = submission();
    const gone = await strapi.documents('api::artist.artist').create({ locale: 'en', data: { name: `Gone ${RUN}`, slug: `gone-${RUN}`.toLowerCase() } as never });
    await strapi.documents('api::artist.artist').delete({ documentId: gone.documentId, locale: '*' });
    input.lineup[3] = { artist: { documentId: gone.documentId }, voteCode: '4' };
    const before = await counts();
    const response = await post(input);
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors[0]).toMatchObject({ path: ['lineup', '3', 'artist'], message: 'This artist no longer exists' });
    expect(await counts()).toEqual(before);
    expect(await strapi.db.connection('artists').where({ name: input.lineup[2].artist.name }).first('id')).toBeUndefined();
  });

  it('tells whether a keyword is free, to signed-in editors only', async () => {
    const check = async (keyword: string) => (await (await http()).get(WIZARD_API.keyword(keyword)).set(auth).expect(200)).body.data;
    expect(await check(`free${RUN}`.slice(0, 20))).toMatchObject({ available: true, problem: null });
    expect(await check(takenKeyword.toLowerCase())).toMatchObject({ keyword: takenKeyword, available: false, problem: 'taken' });
    expect(await check('Join')).toMatchObject({ available: false, problem: 'reserved' });
    expect(await check('a')).toMatchObject({ available: false, problem: 'invalid' });
    // Its own keyword is free for the event that holds it.
    const holder = await strapi.db.connection('events').where({ keyword: takenKeyword }).first('document_id');
    expect((await (await http()).get(WIZARD_API.keyword(takenKeyword, holder.document_id)).set(auth)).body.data.available).toBe(true);
    expect((await (await http()).get(WIZARD_API.keyword('FREE'))).status).toBe(401);
  });
});
