import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { GENESIS_HASH } from '../utils/canonical';
import { hashEntry, toRow, type ACTIONS, type Actor, type Diff, type EntryContent, type Outcome, type RefusalReason } from '../utils/entry';
import { ENTRIES_TABLE, HEAD_TABLE, installSchema } from '../utils/schema';
import { scrubValue } from '../utils/redact';
import type { ChainHead } from '../utils/verify-chain';
import { getService } from '../utils/get-service';

/** What a write tells the ledger; the ledger adds the place in the chain, the time and the hash. */
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

/** Raised when an entry cannot be written: the change it records fails with it (a 500, never a silent gap). */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    // The database's reason, without the statement knex puts before it (it holds the entry's values).
    const reason = String((cause as Error)?.message ?? cause).split(' - ').pop();
    super(`The audit trail could not record this change, so it was not made: ${reason}`);
    this.name = 'AuditWriteError';
  }
}

const createLedger = ({ strapi }: { strapi: Core.Strapi }) => {
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  /** The query builder of the transaction in progress (entries are only ever written inside one). */
  const currentTransaction = async () => (await strapi.db.transaction(async ({ trx }) => ({ trx: trx as Knex.Transaction }))).trx;

  return {
    async install() {
      await installSchema(strapi.db.connection, strapi.db.dialect.client);
    },

    /**
     * Appends one entry in the transaction in progress. The chain head's row is locked first
     * (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time), so concurrent writers
     * take sequence numbers one after another, each linking to the entry committed before it; the
     * lock is held until the change commits or rolls back, so a rolled-back change leaves no gap.
     */
    async append(change: Change): Promise<EntryContent & { hash: string }> {
      if (!strapi.db.inTransaction()) throw new AuditWriteError(new Error('an entry is only written inside the change’s transaction'));
      try {
        const trx = await currentTransaction();
        const query = trx(HEAD_TABLE).where({ id: 1 });
        const head = (await (isPostgres() ? query.forUpdate() : query).first()) as { seq: number | string; hash: string } | undefined;
        if (!head) throw new Error('the chain head is missing');
        const content: EntryContent = {
          seq: Number(head.seq) + 1,
          occurredAt: new Date().toISOString(),
          ...change,
          outcome: change.outcome ?? 'success',
          error: change.error ?? null,
          prevHash: head.hash,
        };
        const entry = { ...content, hash: hashEntry(content) };
        await trx(ENTRIES_TABLE).insert(toRow(entry));
        await trx(HEAD_TABLE).where({ id: 1 }).update({ seq: entry.seq, hash: entry.hash });
        return entry;
      } catch (error) {
        throw error instanceof AuditWriteError ? error : new AuditWriteError(error);
      }
    },

    /**
     * Records an operation that is not a document write (a backup asked for or taken), by whoever is
     * acting now, in the transaction in progress or one of its own. `details` are redacted like a diff.
     */
    async record(operation: {
      action: (typeof ACTIONS)[number];
      subject: string;
      id: string | null;
      details?: Record<string, unknown>;
      outcome?: Outcome;
      error?: RefusalReason | null;
    }) {
      const change: Change = {
        actor: getService(strapi, 'actors').current(),
        action: operation.action,
        contentType: operation.subject,
        documentId: operation.id,
        locale: null,
        diff: { before: null, after: (scrubValue(operation.details ?? {}) as Record<string, unknown>) },
        outcome: operation.outcome,
        error: operation.error ?? null,
      };
      return strapi.db.transaction(() => getService(strapi, 'ledger').append(change));
    },

    async head(): Promise<ChainHead> {
      const row = await strapi.db.connection(HEAD_TABLE).where({ id: 1 }).first();
      return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    },

    /**
     * Walks the retained chain and checks the signed checkpoints (see services/verification.ts and
     * utils/verify-chain.ts for what it detects), in one snapshot of the database so that entries
     * appended meanwhile are neither "missing" nor "inserted".
     */
    verify() {
      return getService(strapi, 'verification').verify();
    },
  };
};

export type LedgerService = ReturnType<typeof createLedger>;
export default createLedger;
