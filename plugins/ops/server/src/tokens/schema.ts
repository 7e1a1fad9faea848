import type { Knex } from 'knex';

/** A content-API token's own budget and, after a rotation, its previous value's hash and deadline. */
export const BUDGETS_TABLE = 'ops_token_budgets';
/** Requests per token per UTC day, and the last one's time. */
export const USAGE_TABLE = 'ops_token_usage';

/**
 * Two plain tables beside Strapi's own `strapi_api_tokens` (keyed by its id): the usage counter's
 * upsert needs a unique key over two columns, which a content type cannot declare. Created at boot,
 * idempotently.
 */
export async function installTokenTables(knex: Knex) {
  if (!(await knex.schema.hasTable(BUDGETS_TABLE))) {
    await knex.schema.createTable(BUDGETS_TABLE, (table) => {
      table.integer('token_id').primary();
      table.integer('per_minute');
      table.string('retired_key_hash', 128);
      table.string('retired_key_expires_at', 32);
      table.index(['retired_key_hash'], `${BUDGETS_TABLE}_retired_idx`);
    });
  }
  if (!(await knex.schema.hasTable(USAGE_TABLE))) {
    await knex.schema.createTable(USAGE_TABLE, (table) => {
      table.integer('token_id').notNullable();
      table.string('day', 10).notNullable();
      table.bigInteger('requests').notNullable();
      table.string('last_used_at', 32).notNullable();
      table.primary(['token_id', 'day']);
    });
  }
}
