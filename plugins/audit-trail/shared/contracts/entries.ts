import type { EntryContent } from '../../server/src/utils/entry';
import type { ChainReport } from '../../server/src/utils/verify-chain';

/** Who can act: an admin, an API token, a users-permissions user, nobody signed in, a job, a script. */
export const ACTOR_KINDS = ['admin', 'api-token', 'user', 'public', 'job', 'script'] as const;
/** Where a change came from. */
export const ORIGINS = ['admin', 'content-api', 'graphql', 'worker', 'script'] as const;
/** What an entry records. */
export const ACTIONS = [
  // Document writes.
  'create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone',
  // Operations recorded by the code that does them (ledger.record, chain.recordOperation): a backup
  // asked for, one taken, one restored.
  'backup.request', 'backup.run', 'backup.restore',
  // The trail's own operations: a signed checkpoint written, entries purged by retention, an export.
  'audit.checkpoint', 'audit.purge', 'audit.export',
] as const;

/** `GET /audit-trail/entries`: one entry as the admin API serves it: what it says, and its hash. */
export type AuditEntry = EntryContent & { hash: string };

/** Newest first; `nextCursor` fetches the entries after the last one, null at the end. */
export type ListEntriesResponse = { data: AuditEntry[]; meta: { nextCursor: string | null } };

/** `POST /audit-trail/verify`: the whole chain walked now (as `npm run audit:verify`). */
export type VerifyResponse = { data: ChainReport };
