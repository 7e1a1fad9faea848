import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { AuditEntry, ListEntriesResponse } from '../../../shared/contracts/entries';
import { fromRow, type EntryRow } from '../utils/entry';
import { encodeCursor, type EntryFilters } from '../utils/filters';
import { ENTRIES_TABLE } from '../utils/schema';

const COLUMNS: Partial<Record<keyof EntryFilters, string>> = {
  actorKind: 'actor_kind',
  actorId: 'actor_id',
  origin: 'origin',
  action: 'action',
  contentType: 'content_type',
  documentId: 'document_id',
  outcome: 'outcome',
};

/** Narrows `query` to the entries the filters select (the list's and the export's, one definition). */
export function whereFilters(query: Knex.QueryBuilder, filters: Omit<EntryFilters, 'limit' | 'cursor'>) {
  for (const [key, column] of Object.entries(COLUMNS)) {
    const value = filters[key as keyof typeof filters];
    if (value !== undefined) query.where(column as string, value as string);
  }
  if (filters.from) query.where('occurred_at', '>=', filters.from);
  if (filters.to) query.where('occurred_at', '<', filters.to);
  return query;
}

const createEntries = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Newest first, by cursor (the last seq seen), so a page never shifts while entries are appended. */
  async list(filters: EntryFilters): Promise<ListEntriesResponse> {
    const query = whereFilters(strapi.db.connection(ENTRIES_TABLE).orderBy('seq', 'desc').limit(filters.limit + 1), filters);
    if (filters.cursor) query.where('seq', '<', filters.cursor);
    const rows = (await query) as EntryRow[];
    const page = rows.slice(0, filters.limit).map((row): AuditEntry => fromRow(row));
    const more = rows.length > filters.limit;
    return { data: page, meta: { nextCursor: more ? encodeCursor(page[page.length - 1].seq) : null } };
  },
});

export type EntriesService = ReturnType<typeof createEntries>;
export default createEntries;
