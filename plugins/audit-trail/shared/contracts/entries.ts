import type { Actor, Diff, Outcome, RefusalReason } from '../../server/src/utils/entry';

/** `GET /audit-trail/entries`: one entry as the admin API serves it. */
export type AuditEntry = {
  seq: number;
  occurredAt: string;
  actor: Actor;
  action: string;
  contentType: string;
  documentId: string | null;
  locale: string | null;
  outcome: Outcome;
  diff: Diff;
  error: RefusalReason | null;
  hash: string;
  prevHash: string;
};

/** Newest first; `nextCursor` fetches the entries after the last one, null at the end. */
export type ListEntriesResponse = { data: AuditEntry[]; meta: { nextCursor: string | null } };
