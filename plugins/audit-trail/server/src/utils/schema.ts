import type { Knex } from 'knex';

export const ENTRIES_TABLE = 'audit_trail_entries';
export const HEAD_TABLE = 'audit_trail_head';
export const CHECKPOINTS_TABLE = 'audit_trail_checkpoints';
/** SQLite's stand-in for PostgreSQL's transaction-local setting: the purge's permit, set and cleared in its transaction. */
export const PURGE_PERMIT_TABLE = 'audit_trail_purge_permit';
/** PostgreSQL setting (transaction-local) through which the retention purge may delete entries. */
export const PURGE_SETTING = 'ovation.audit_purge_through';
export const APPEND_ONLY_MESSAGE = 'audit_trail_append_only';

/**
 * The entries and the chain head live in tables of their own, outside Strapi's content types: no
 * document, content-API or GraphQL route can reach them, and Strapi's schema sync leaves them alone
 * (it only drops tables it created). A trigger refuses UPDATE and DELETE of entries and checkpoints on
 * both databases; the one exception is the retention purge deleting the entries it names (see retention.ts).
 */
export async function installSchema(knex: Knex, client: string) {
  if (!(await knex.schema.hasTable(ENTRIES_TABLE))) {
    await knex.schema.createTable(ENTRIES_TABLE, (table) => {
      table.bigInteger('seq').primary();
      table.string('occurred_at', 32).notNullable();
      table.string('actor_kind', 16).notNullable();
      table.string('actor_id', 64);
      table.string('actor_name', 255);
      table.string('origin', 16).notNullable();
      table.string('ip', 64);
      table.text('user_agent');
      table.string('request_id', 128);
      table.string('action', 32).notNullable();
      table.string('content_type', 255).notNullable();
      table.string('document_id', 64);
      table.string('locale', 16);
      table.string('outcome', 16).notNullable();
      table.text('diff').notNullable();
      table.text('error');
      table.string('prev_hash', 64).notNullable();
      table.string('hash', 64).notNullable().unique();
      table.index(['content_type', 'document_id'], 'audit_trail_entries_document_idx');
      table.index(['occurred_at'], 'audit_trail_entries_occurred_idx');
    });
  }
  if (!(await knex.schema.hasTable(HEAD_TABLE))) {
    await knex.schema.createTable(HEAD_TABLE, (table) => {
      table.integer('id').primary();
      table.bigInteger('seq').notNullable();
      table.string('hash', 64).notNullable();
    });
  }
  if (!(await knex.schema.hasTable(CHECKPOINTS_TABLE))) {
    await knex.schema.createTable(CHECKPOINTS_TABLE, (table) => {
      table.increments('id').primary();
      table.bigInteger('seq').notNullable();
      table.string('hash', 64).notNullable();
      table.string('occurred_at', 32).notNullable();
      table.string('key_id', 16).notNullable();
      table.string('signature', 128).notNullable();
      // scheduled (the hourly job), purge (before a retention purge), manual (npm run audit:checkpoint).
      table.string('reason', 16).notNullable();
      // The scheduled slot it was written for: one checkpoint per slot, however often its job runs.
      table.string('slot', 32).unique();
      table.index(['seq'], 'audit_trail_checkpoints_seq_idx');
    });
  }
  if (client !== 'postgres' && !(await knex.schema.hasTable(PURGE_PERMIT_TABLE))) {
    await knex.schema.createTable(PURGE_PERMIT_TABLE, (table) => {
      table.bigInteger('through').notNullable();
    });
  }
  // One row, id 1: the last entry's sequence number and hash, locked by every append.
  const head = await knex(HEAD_TABLE).where({ id: 1 }).first();
  if (!head) {
    const last = await knex(ENTRIES_TABLE).orderBy('seq', 'desc').first('seq', 'hash');
    await knex(HEAD_TABLE).insert({ id: 1, seq: last ? Number(last.seq) : 0, hash: last?.hash ?? '0'.repeat(64) });
  }

  if (client === 'postgres') {
    // The purge sets PURGE_SETTING with SET LOCAL (set_config(…, true)): it ends with the purge's
    // transaction, so it never outlives it on a pooled connection, and it names the last entry the
    // purge may delete, so even inside that transaction nothing newer can go.
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_trail_refuse_change() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '${ENTRIES_TABLE}' THEN
          IF OLD.seq <= coalesce(nullif(current_setting('${PURGE_SETTING}', true), '')::bigint, 0) THEN
            RETURN OLD;
          END IF;
        END IF;
        RAISE EXCEPTION '${APPEND_ONLY_MESSAGE}: % is append-only', TG_TABLE_NAME;
      END;
      $$ LANGUAGE plpgsql`);
    for (const table of [ENTRIES_TABLE, CHECKPOINTS_TABLE]) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`);
      await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change()`);
      // TRUNCATE skips row triggers: refuse it with a statement trigger.
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
      await knex.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change()`);
    }
  } else {
    for (const table of [ENTRIES_TABLE, CHECKPOINTS_TABLE]) {
      // Entries may be deleted only up to the purge's permit (a row that exists only inside the purge's transaction).
      const exception = table === ENTRIES_TABLE ? `WHEN OLD.seq > coalesce((SELECT max(through) FROM ${PURGE_PERMIT_TABLE}), 0)` : '';
      for (const event of ['UPDATE', 'DELETE']) {
        const name = `${table}_append_only_${event.toLowerCase()}`;
        // Recreated at every start: a database made before the purge existed has a DELETE trigger without its exception.
        await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
        await knex.raw(`
          CREATE TRIGGER ${name} BEFORE ${event} ON ${table} ${event === 'DELETE' ? exception : ''}
          BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: ${table} is append-only'); END`);
      }
    }
  }
}
