import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/**
 * The query builder of the transaction in progress, if any, else the pool. Queries made inside a
 * transaction must use it: SQLite has a single connection, and PostgreSQL must see uncommitted rows.
 */
export async function knexFor(strapi: Core.Strapi): Promise<Knex> {
  if (!strapi.db.inTransaction()) return strapi.db.connection;
  return strapi.db.transaction(async ({ trx }) => trx);
}

/** Runs `effect` once the transaction in progress commits (at once when there is none); failures are logged. */
export async function afterCommit(strapi: Core.Strapi, name: string, effect: () => Promise<unknown>) {
  const run = () => {
    effect().catch((error) => strapi.log.warn(`crm: ${name} failed after commit: ${error}`));
  };
  if (!strapi.db.inTransaction()) return run();
  await strapi.db.transaction(async ({ onCommit }) => onCommit(run));
}
