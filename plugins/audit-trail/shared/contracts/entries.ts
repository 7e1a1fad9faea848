import type { EntryContent } from '../../server/src/utils/entry';

/** `GET /audit-trail/entries`: one entry as the admin API serves it: what it says, and its hash. */
export type AuditEntry = EntryContent & { hash: string };

/** Newest first; `nextCursor` fetches the entries after the last one, null at the end. */
export type ListEntriesResponse = { data: AuditEntry[]; meta: { nextCursor: string | null } };
