import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';

/**
 * Where secrets (voting tokens, links) were left in storage: every text, varchar and JSON column
 * of every table of the run's database, and every key and value under the run's Redis prefix.
 * Answers `table.column` and `redis:key` for each place holding one of them ([] when none does).
 */
export async function databaseHolding(strapi: Core.Strapi, secrets: string[]): Promise<string[]> {
  const knex = strapi.db.connection;
  const postgres = strapi.db.dialect.client === 'postgres';
  const tables = new Map<string, string[]>();
  if (postgres) {
    const columns = (await knex('information_schema.columns')
      .whereNotIn('table_schema', ['pg_catalog', 'information_schema'])
      .whereIn('data_type', ['text', 'character varying', 'character', 'json', 'jsonb'])
      .select('table_schema', 'table_name', 'column_name')) as { table_schema: string; table_name: string; column_name: string }[];
    for (const column of columns) {
      const table = `"${column.table_schema}"."${column.table_name}"`;
      tables.set(table, [...(tables.get(table) ?? []), column.column_name]);
    }
  } else {
    const names = (await knex('sqlite_master').where({ type: 'table' }).pluck('name')) as string[];
    for (const name of names) {
      const columns = (await knex.raw(`PRAGMA table_info("${name}")`)) as { name: string; type: string }[];
      const text = columns.filter((column) => /char|text|json|clob/i.test(column.type)).map((column) => column.name);
      if (text.length > 0) tables.set(`"${name}"`, text);
    }
  }

  const contains = (column: string) => (postgres ? `strpos("${column}"::text, ?) > 0` : `instr(CAST("${column}" AS TEXT), ?) > 0`);
  const found: string[] = [];
  for (const [table, columns] of tables) {
    const hits = columns.map((column) => `max(CASE WHEN ${secrets.map(() => contains(column)).join(' OR ')} THEN 1 ELSE 0 END) AS "${column}"`);
    const bindings = columns.flatMap(() => secrets);
    const rows = (await knex.raw(`SELECT ${hits.join(', ')} FROM ${table}`, bindings)) as unknown;
    const [row] = (postgres ? (rows as { rows: Record<string, unknown>[] }).rows : (rows as Record<string, unknown>[])) ?? [];
    for (const column of columns) if (Number(row?.[column] ?? 0) === 1) found.push(`${table}.${column}`);
  }
  return found;
}

export async function redisHolding(secrets: string[], { url = process.env.REDIS_URL as string, prefix = process.env.REDIS_PREFIX as string } = {}) {
  const client = new Redis(url);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await client.type(key);
        const values: string[] = [key];
        if (type === 'string') values.push(String(await client.get(key)));
        if (type === 'hash') values.push(...Object.entries(await client.hgetall(key)).flat());
        if (type === 'list') values.push(...(await client.lrange(key, 0, -1)));
        if (type === 'set') values.push(...(await client.smembers(key)));
        if (type === 'zset') values.push(...(await client.zrange(key, 0, -1)));
        if (type === 'stream') values.push(...(await client.xrange(key, '-', '+')).flat(2).map(String));
        if (values.some((value) => secrets.some((secret) => value.includes(secret)))) found.push(`redis:${key}`);
      }
    } while (cursor !== '0');
    return found;
  } finally {
    client.disconnect();
  }
}
