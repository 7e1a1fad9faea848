/**
 * Appending to the chain, with nothing but a knex transaction: the ledger service uses it inside
 * Strapi, and a process that runs without Strapi (the workers' backup worker) records its operations
 * through `recordOperation` (`@ovation/plugin-audit-trail/chain`), into the same chain, by the same rules.
 */
import type { Knex } from 'knex';
import { hashEntry, toRow, type ACTIONS, type Actor, type Diff, type Entry, type EntryContent, type Outcome, type RefusalReason } from './utils/entry';
import { scrubValue } from './utils/redact';
import { ENTRIES_TABLE, HEAD_TABLE } from './utils/schema';

/** What a write tells the chain; the chain adds the place, the time and the hash. */
export type Change = {
  actor: Actor;
  action: string;
  contentType: string;
  documentId: string | null;
  locale: string | null;
  diff: Diff;
  outcome?: Outcome;
  error?: RefusalReason | null;
};

/** An operation that is not a document write (a backup asked for, taken, restored). */
export type Operation = {
  action: (typeof ACTIONS)[number];
  subject: string;
  id: string | null;
  details?: Record<string, unknown>;
  outcome?: Outcome;
  error?: RefusalReason | null;
  /**
   * A fact recorded once however often it is reported: nothing is appended where the trail already
   * holds this action on this subject and id with this outcome. For a job that records what it did
   * and may run again (a retried backup finds its backup done, but its entry may be what failed).
   */
  once?: boolean;
};

/** Raised when an entry cannot be written: the change it records fails with it (a 500, never a silent gap). */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    // The database's reason, without the statement knex puts before it (it holds the entry's values).
    const reason = String((cause as Error)?.message ?? cause).split(' - ').pop();
    super(`The audit trail could not record this change, so it was not made: ${reason}`);
    this.name = 'AuditWriteError';
  }
}

/**
 * Appends one entry in `trx`. The chain head's row is locked first, so concurrent writers take
 * sequence numbers one after another, each linking to the entry committed before it; the lock is
 * held until the transaction commits or rolls back, so a rolled-back change leaves no gap.
 * PostgreSQL: two statements (the head moved on and locked, returning the previous hash; then the
 * entry inserted and its hash set on the head in one). SQLite (one writer at a time): three.
 */
export async function appendToChain(trx: Knex.Transaction, { postgres }: { postgres: boolean }, change: Change): Promise<Entry> {
  try {
    const head = postgres
      ? ((await trx(HEAD_TABLE).where({ id: 1 }).increment('seq', 1).returning(['seq', 'hash'])) as { seq: number | string; hash: string }[])[0]
      : ((await trx(HEAD_TABLE).where({ id: 1 }).first()) as { seq: number | string; hash: string } | undefined);
    if (!head) throw new Error('the chain head is missing');
    const content: EntryContent = {
      seq: postgres ? Number(head.seq) : Number(head.seq) + 1,
      occurredAt: new Date().toISOString(),
      ...change,
      outcome: change.outcome ?? 'success',
      error: change.error ?? null,
      prevHash: head.hash,
    };
    const entry = { ...content, hash: hashEntry(content) };
    if (postgres) {
      const insert = trx(ENTRIES_TABLE).insert(toRow(entry)).toSQL();
      await trx.raw(`WITH entry AS (${insert.sql} RETURNING hash) UPDATE ${HEAD_TABLE} SET hash = (SELECT hash FROM entry) WHERE id = 1`, insert.bindings as readonly Knex.Value[]);
    } else {
      await trx(ENTRIES_TABLE).insert(toRow(entry));
      await trx(HEAD_TABLE).where({ id: 1 }).update({ seq: entry.seq, hash: entry.hash });
    }
    return entry;
  } catch (error) {
    throw error instanceof AuditWriteError ? error : new AuditWriteError(error);
  }
}

/** The entry an operation makes: `details` redacted like a diff's `after`. */
export const operationChange = (actor: Actor, operation: Operation): Change => ({
  actor,
  action: operation.action,
  contentType: operation.subject,
  documentId: operation.id,
  locale: null,
  diff: { before: null, after: scrubValue(operation.details ?? {}) as Record<string, unknown> },
  outcome: operation.outcome,
  error: operation.error ?? null,
});

/** Whether the trail already holds `operation` (its action, subject, id and outcome). */
export async function alreadyRecorded(trx: Knex.Transaction, operation: Operation): Promise<boolean> {
  const found = await trx(ENTRIES_TABLE)
    .where({ action: operation.action, content_type: operation.subject, document_id: operation.id, outcome: operation.outcome ?? 'success' })
    .first('seq');
  return Boolean(found);
}

/** A process acting on its own behalf: a worker's job, a script, the seed. */
export type SystemActor = { kind: 'job' | 'script'; name: string };

/** How an entry names a job or a script: by name, from the worker or a script, never from a request. */
export const systemActor = ({ kind, name }: SystemActor): Actor => ({
  kind,
  id: null,
  name,
  origin: kind === 'job' ? 'worker' : 'script',
  ip: null,
  userAgent: null,
  requestId: null,
});

/**
 * Records an operation done by a job or a script, in a transaction of its own on `knex`: for
 * processes that run without Strapi (the backup worker, `npm run restore`). The chain's tables must
 * exist (the cms installs them at boot); where they do not, the audit trail is not in use there and
 * nothing is recorded.
 */
export async function recordOperation(knex: Knex, { postgres, actor }: { postgres: boolean; actor: SystemActor }, operation: Operation): Promise<Entry | null> {
  if (!(await knex.schema.hasTable(HEAD_TABLE))) return null;
  return knex.transaction(async (trx) =>
    operation.once && (await alreadyRecorded(trx, operation)) ? null : appendToChain(trx, { postgres }, operationChange(systemActor(actor), operation)),
  );
}
