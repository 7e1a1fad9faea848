import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { alreadyRecorded, appendToChain, AuditWriteError, operationChange, type Change, type Operation } from '../chain';
import { GENESIS_HASH } from '../utils/canonical';
import type { Entry } from '../utils/entry';
import { HEAD_TABLE, installSchema } from '../utils/schema';
import type { ChainHead } from '../utils/verify-chain';
import { getService } from '../utils/get-service';

const createLedger = ({ strapi }: { strapi: Core.Strapi }) => {
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  /** The query builder of the transaction in progress (entries are only ever written inside one). */
  const currentTransaction = async () => (await strapi.db.transaction(async ({ trx }) => ({ trx: trx as Knex.Transaction }))).trx;

  /**
   * Records an operation that is not a document write (a backup asked for or taken), by whoever is
   * acting now, in the transaction in progress or one of its own. `details` are redacted like a diff.
   * With `once`, nothing is appended where the trail already holds it (and null is returned).
   */
  async function record(operation: Operation & { once?: false }): Promise<Entry>;
  async function record(operation: Operation): Promise<Entry | null>;
  async function record(operation: Operation): Promise<Entry | null> {
    const change = operationChange(getService(strapi, 'actors').current(), operation);
    return strapi.db.transaction(async () => {
      if (operation.once && (await alreadyRecorded(await currentTransaction(), operation))) return null;
      return getService(strapi, 'ledger').append(change);
    });
  }

  return {
    async install() {
      await installSchema(strapi.db.connection, strapi.db.dialect.client);
    },

    /** Appends one entry in the transaction in progress (see chain.ts: the head is locked until it ends). */
    async append(change: Change): Promise<Entry> {
      if (!strapi.db.inTransaction()) throw new AuditWriteError(new Error('an entry is only written inside the change’s transaction'));
      return appendToChain(await currentTransaction(), { postgres: isPostgres() }, change);
    },

    record,

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
