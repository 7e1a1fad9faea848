import type { Knex } from 'knex';

export const ENTRIES_TABLE = 'audit_trail_entries';
export const HEAD_TABLE = 'audit_trail_head';
export const APPEND_ONLY_MESSAGE = 'audit_trail_append_only';

/**
 * The entries and the chain head live in tables of their own, outside Strapi's content types: no
 * document, content-API or GraphQL route can reach them, and Strapi's schema sync leaves them alone
 * (it only drops tables it created). A trigger refuses UPDATE and DELETE of entries on both databases.
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
  // One row, id 1: the last entry's sequence number and hash, locked by every append.
  const head = await knex(HEAD_TABLE).where({ id: 1 }).first();
  if (!head) {
    const last = await knex(ENTRIES_TABLE).orderBy('seq', 'desc').first('seq', 'hash');
    await knex(HEAD_TABLE).insert({ id: 1, seq: last ? Number(last.seq) : 0, hash: last?.hash ?? '0'.repeat(64) });
  }

  if (client === 'postgres') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION audit_trail_refuse_change() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION '${APPEND_ONLY_MESSAGE}: % is append-only', TG_TABLE_NAME;
      END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`DROP TRIGGER IF EXISTS audit_trail_entries_append_only ON ${ENTRIES_TABLE}`);
    await knex.raw(
      `CREATE TRIGGER audit_trail_entries_append_only BEFORE UPDATE OR DELETE ON ${ENTRIES_TABLE} FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change()`
    );
    // TRUNCATE skips row triggers: refuse it with a statement trigger.
    await knex.raw(`DROP TRIGGER IF EXISTS audit_trail_entries_no_truncate ON ${ENTRIES_TABLE}`);
    await knex.raw(
      `CREATE TRIGGER audit_trail_entries_no_truncate BEFORE TRUNCATE ON ${ENTRIES_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change()`
    );
  } else {
    for (const event of ['UPDATE', 'DELETE']) {
      await knex.raw(`
        CREATE TRIGGER IF NOT EXISTS audit_trail_entries_append_only_${event.toLowerCase()} BEFORE ${event} ON ${ENTRIES_TABLE}
        BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: ${ENTRIES_TABLE} is append-only'); END`);
    }
  }
}
