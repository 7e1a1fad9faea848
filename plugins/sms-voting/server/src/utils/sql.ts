import type { Knex } from 'knex';

/** Rows of a raw query, whichever driver ran it (pg answers `{ rows }`, better-sqlite3 an array). */
export async function rowsOf<T>(query: Promise<unknown> | Knex.Raw): Promise<T[]> {
  const result = (await query) as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** A timestamp column's value as a Date, whether the driver gave a Date, an ISO string or epoch milliseconds. */
export const asDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string | number | Date);

export const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};
