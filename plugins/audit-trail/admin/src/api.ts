import { PLUGIN_ID } from './plugin-id';

/** Shapes of the plugin's admin API (server/src/controllers), as the Audit trail page reads them. */
export { ACTIONS, ACTOR_KINDS, ORIGINS, type AuditEntry, type ListEntriesResponse, type VerifyResponse } from '../../shared/contracts/entries';
import type { ACTIONS, ACTOR_KINDS, AuditEntry } from '../../shared/contracts/entries';

/** What the page filters by; dates are days (`2026-12-02`), `until` included. */
export type EntryFilters = {
  actorKind?: (typeof ACTOR_KINDS)[number];
  actorId?: string;
  action?: (typeof ACTIONS)[number];
  contentType?: string;
  documentId?: string;
  outcome?: 'success' | 'failure';
  from?: string;
  until?: string;
};

/** Entries per page ("Load more" asks for the next). */
export const PAGE_SIZE = 50;

const dayAfter = (day: string) => {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
};

/** The filters as the API reads them. */
function filterQuery({ from, until, ...exact }: EntryFilters, more: Record<string, string>) {
  const query = new URLSearchParams(more);
  for (const [name, value] of Object.entries(exact)) if (value) query.set(name, value);
  if (from) query.set('from', `${from}T00:00:00.000Z`);
  // The API's `to` is exclusive: the day after the last day asked for.
  if (until) query.set('to', dayAfter(until));
  return query;
}

export type ExportFormat = 'csv' | 'ndjson';

export const auditApi = {
  entries: (filters: EntryFilters, cursor?: string | null) => `/${PLUGIN_ID}/entries?${filterQuery(filters, { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) })}`,
  verify: () => `/${PLUGIN_ID}/verify`,
  export: (filters: EntryFilters, format: ExportFormat) => `/${PLUGIN_ID}/export?${filterQuery(filters, { format })}`,
};

/** Where an entry's document opens in the Content Manager, when it is a document that may still exist. */
export const documentPath = ({ contentType, documentId, locale, action }: Pick<AuditEntry, 'contentType' | 'documentId' | 'locale' | 'action'>) => {
  if (!documentId || action === 'delete' || !/^(api|plugin)::[\w-]+\.[\w-]+$/.test(contentType)) return null;
  const path = `/content-manager/collection-types/${contentType}/${encodeURIComponent(documentId)}`;
  return locale ? `${path}?plugins[i18n][locale]=${encodeURIComponent(locale)}` : path;
};
