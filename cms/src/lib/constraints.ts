import type { Core } from '@strapi/strapi';

/**
 * Invariants the database enforces beyond what Strapi's schema sync creates.
 *
 * Strapi keeps a draft and a published row per document and locale, so a plain unique index cannot
 * say "no two documents share this value". PostgreSQL says it with an exclusion constraint; SQLite
 * (which serialises writers) with a trigger. Composite unique indexes (vote code per event, round
 * number per event…) are declared in the content-type schemas and owned by Strapi's schema sync.
 */
const UNIQUE_ACROSS_DOCUMENTS = [
  { table: 'events', column: 'keyword' },
  { table: 'events', column: 'slug' },
  { table: 'artists', column: 'slug' },
  { table: 'posts', column: 'slug' },
] as const;

const APPEND_ONLY_TABLES = ['consent_records'] as const;

export const APPEND_ONLY_MESSAGE = 'ovation_append_only';

/**
 * The one exception to the consent ledger being append-only: erasing a fan (plugins/crm, `fans.erase`)
 * deletes the records of the subjects it names, and only those, inside its own transaction. PostgreSQL:
 * a transaction-local setting (`set_config(…, true)`) listing the subject hashes; SQLite: rows of a
 * permit table that exist only inside that transaction.
 */
export const CONSENT_ERASURE_SETTING = 'ovation.consent_erasure';
export const CONSENT_ERASURE_PERMITS = 'consent_erasure_permits';

/** The field a violated constraint or index speaks for, by its name. */
export const CONSTRAINT_FIELDS: Record<string, string> = {
  lineup_entries_event_vote_code_uq: 'vote_code',
  lineup_entries_event_artist_uq: 'artist',
  rounds_event_number_uq: 'number',
  ...Object.fromEntries(UNIQUE_ACROSS_DOCUMENTS.map(({ table, column }) => [`${table}_${column}_excl`, column])),
};

type Knex = Core.Strapi['db']['connection'];

/**
 * A fan's tags are a JSON list of text or NULL, so a segment's tag rule is one plain operator on the
 * column (`?|`, `?&`: a fan's tags are never an object whose keys it would match, nor a number). What
 * a database made before the check holds is normalised first, as the rule always read it: a list's
 * items as text, a lone text as a list of it, anything else no tags. The one API that writes tags
 * (plugins/crm, `PUT /crm/fans/:id/tags`) refuses anything else with a 400 before it gets here.
 */
export const FAN_TAGS_CHECK = 'fans_tags_text_list';

export async function installFanTagsCheck(knex: Knex, client: string) {
  if (client === 'postgres') {
    // The fans table on the search path (a schema of its own in a test, say), not any table's constraint of that name.
    if ((await knex.raw(`SELECT 1 FROM pg_constraint WHERE conname = ? AND conrelid = 'fans'::regclass`, [FAN_TAGS_CHECK])).rows.length) return;
    // Every item's type is "string" (no `?` in it: knex would take one for a binding).
    const textList = `jsonb_typeof(tags) = 'array' AND jsonb_path_query_array(tags, '$[*].type()') <@ '["string"]'::jsonb`;
    await knex.transaction(async (trx) => {
      await trx.raw(`
        UPDATE fans SET tags = CASE jsonb_typeof(tags)
          WHEN 'array' THEN (SELECT coalesce(jsonb_agg(item #>> '{}'), '[]'::jsonb) FROM jsonb_array_elements(tags) AS item WHERE jsonb_typeof(item) <> 'null')
          WHEN 'string' THEN jsonb_build_array(tags #>> '{}')
        END
        WHERE tags IS NOT NULL AND NOT (${textList})`);
      await trx.raw(`ALTER TABLE fans ADD CONSTRAINT ${FAN_TAGS_CHECK} CHECK (tags IS NULL OR (${textList}))`);
    });
    return;
  }
  // Once: with the triggers in place no other shape gets in, so later starts scan nothing.
  if (await knex('sqlite_master').where({ type: 'trigger', name: `${FAN_TAGS_CHECK}_insert` }).first()) return;
  const textList = (tags: string) =>
    `CASE WHEN json_valid(${tags}) THEN json_type(${tags}) = 'array' AND NOT EXISTS (SELECT 1 FROM json_each(${tags}) WHERE type <> 'text') ELSE 0 END`;
  await knex.raw(`
    UPDATE fans SET tags = CASE
      WHEN NOT json_valid(tags) THEN NULL
      WHEN json_type(tags) = 'array' THEN (SELECT coalesce(json_group_array(CAST(value AS TEXT)), '[]') FROM json_each(fans.tags) WHERE type <> 'null')
      WHEN json_type(tags) = 'text' THEN json_array(json_extract(tags, '$'))
    END
    WHERE tags IS NOT NULL AND NOT (${textList('tags')})`);
  for (const event of ['INSERT', 'UPDATE OF tags']) {
    await knex.raw(`
      CREATE TRIGGER IF NOT EXISTS ${FAN_TAGS_CHECK}_${event === 'INSERT' ? 'insert' : 'update'} BEFORE ${event} ON fans
      WHEN NEW.tags IS NOT NULL AND NOT (${textList('NEW.tags')})
      BEGIN SELECT RAISE(ABORT, 'ovation_check:${FAN_TAGS_CHECK}'); END`);
  }
}

async function installPostgres(knex: Knex) {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gist');
  for (const { table, column } of UNIQUE_ACROSS_DOCUMENTS) {
    const name = `${table}_${column}_excl`;
    const exists = await knex('pg_constraint').where({ conname: name }).first();
    if (!exists) {
      await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? EXCLUDE USING gist (?? WITH =, document_id WITH <>)`, [
        table,
        name,
        column,
      ]);
    }
  }
  await knex.raw(`
    CREATE OR REPLACE FUNCTION ovation_refuse_change() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'consent_records'
        AND OLD.subject_hash = ANY(string_to_array(coalesce(current_setting('${CONSENT_ERASURE_SETTING}', true), ''), ',')) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '${APPEND_ONLY_MESSAGE}: % is append-only', TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql`);
  for (const table of APPEND_ONLY_TABLES) {
    await knex.raw(`DROP TRIGGER IF EXISTS ?? ON ??`, [`${table}_append_only`, table]);
    await knex.raw(`CREATE TRIGGER ?? BEFORE UPDATE OR DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION ovation_refuse_change()`, [
      `${table}_append_only`,
      table,
    ]);
  }
}

async function installSqlite(db: Core.Strapi['db']) {
  const knex = db.connection;
  for (const { table, column } of UNIQUE_ACROSS_DOCUMENTS) {
    const name = `${table}_${column}_excl`;
    for (const event of ['INSERT', `UPDATE OF ${column}, document_id`]) {
      const trigger = `${name}_${event.startsWith('INSERT') ? 'insert' : 'update'}`;
      await knex.raw(`
        CREATE TRIGGER IF NOT EXISTS ${trigger} BEFORE ${event} ON ${table}
        WHEN NEW.${column} IS NOT NULL AND EXISTS (
          SELECT 1 FROM ${table} WHERE ${column} = NEW.${column} AND document_id <> NEW.document_id
        )
        BEGIN SELECT RAISE(ABORT, 'ovation_unique:${name}'); END`);
    }
  }
  await knex.raw(`CREATE TABLE IF NOT EXISTS ${CONSENT_ERASURE_PERMITS} (subject_hash varchar(255) NOT NULL)`);
  for (const table of APPEND_ONLY_TABLES) {
    for (const event of ['UPDATE', 'DELETE']) {
      const name = `${table}_append_only_${event.toLowerCase()}`;
      const exception = event === 'DELETE' ? `WHEN OLD.subject_hash NOT IN (SELECT subject_hash FROM ${CONSENT_ERASURE_PERMITS})` : '';
      // Recreated at every start: a database made before erasure existed has a DELETE trigger without its exception.
      await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
      await knex.raw(`
        CREATE TRIGGER ${name} BEFORE ${event} ON ${table} ${exception}
        BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: ${table} is append-only'); END`);
    }
  }
}

export async function installConstraints(strapi: Core.Strapi) {
  const client = strapi.db.dialect.client;
  if (client === 'postgres') {
    // Every process that loads the app (cms instances, workers) installs them as it starts, often at
    // the same moment: one at a time, each in one transaction, so none trips over another's DROP and CREATE.
    await strapi.db.connection.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['ovation:constraints']);
      await installPostgres(trx);
      await installFanTagsCheck(trx, client);
    });
  } else if (client === 'sqlite') {
    await installSqlite(strapi.db);
    await installFanTagsCheck(strapi.db.connection, client);
  } else strapi.log.warn(`Database-level invariants are not installed for ${client}`);
}
