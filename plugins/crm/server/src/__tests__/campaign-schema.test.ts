import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCampaignChecks } from '../campaigns/schema';
import { TABLES } from '../segments/tables';
import { scratchDatabases, type ScratchDatabase } from './databases';

const DATABASES = scratchDatabases('crm_schema');

/** The campaigns' templates check on both databases, on a table of its own (as the cms installs it at every start). */
describe.each(DATABASES)('campaign templates held to their shape ($dialect)', ({ dialect: client, make }) => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await make();
    await db.knex.schema.createTable(TABLES.campaigns, (t) => {
      t.increments('id');
      if (client === 'postgres') t.jsonb('templates');
      else t.json('templates');
    });
    await installCampaignChecks(db.knex, client);
    // A second start finds it in place.
    await installCampaignChecks(db.knex, client);
  });
  afterAll(() => db.drop());

  const insert = (templates: unknown) => db.knex(TABLES.campaigns).insert({ templates: templates === null ? null : JSON.stringify(templates) });

  it('takes one or both languages, each with a text body', async () => {
    await insert({ en: { body: 'The finale is Friday' } });
    await insert({ en: { body: 'Recap', subject: 'Recap', text: 'Recap' }, es: { body: 'Resumen', subject: 'Resumen' } });
    expect(Number((await db.knex(TABLES.campaigns).count({ n: '*' }).first())?.n)).toBe(2);
  });

  it.each([
    ['another key', { probe: 'x' }],
    ['no language', {}],
    ['a language as text', { en: 'text' }],
    ['no body', { en: { subject: 'No body' } }],
    ['a body that is not text', { en: { body: 7 } }],
    ['a list', ['en']],
    ['nothing', null],
  ])('refuses %s', async (_name, templates) => {
    await expect(insert(templates)).rejects.toThrow(/crm_campaigns_templates_shape/);
    const [row] = await db.knex(TABLES.campaigns).orderBy('id').limit(1).select('id');
    await expect(db.knex(TABLES.campaigns).where({ id: row.id }).update({ templates: templates === null ? null : JSON.stringify(templates) })).rejects.toThrow(/crm_campaigns_templates_shape/);
  });
});
