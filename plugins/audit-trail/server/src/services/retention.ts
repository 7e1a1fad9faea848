import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { AuditTrailConfig } from '../config';
import { getService } from '../utils/get-service';
import { ENTRIES_TABLE, HEAD_TABLE, PURGE_PERMIT_TABLE, PURGE_SETTING } from '../utils/schema';

/** Entries one purge transaction deletes at most: the chain head stays locked for that long. */
export const PURGE_BATCH = 10_000;

const DAY_MS = 86_400_000;

export type PurgeResult = { purged: number; from: number | null; through: number | null; olderThan: string };

const createRetention = ({ strapi }: { strapi: Core.Strapi }) => {
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  /** The transaction in progress's query builder. */
  const currentTransaction = async () => (await strapi.db.transaction(async ({ trx }) => ({ trx: trx as Knex.Transaction }))).trx;

  /**
   * Lets this transaction delete entries up to `through`, and no further: on PostgreSQL a
   * transaction-local setting the trigger reads, on SQLite a permit row that exists only inside
   * this transaction (it is removed before commit, and a rollback removes it too).
   */
  async function permit(trx: Knex.Transaction, through: number | null) {
    if (isPostgres()) await trx.raw('SELECT set_config(?, ?, true)', [PURGE_SETTING, through === null ? '' : String(through)]);
    else if (through === null) await trx(PURGE_PERMIT_TABLE).delete();
    else await trx(PURGE_PERMIT_TABLE).insert({ through });
  }

  /**
   * One purge: the oldest entries written before `olderThan`, at most PURGE_BATCH, in one
   * transaction holding the chain head. First a signed checkpoint of the last entry it removes (the
   * entry after it links to that hash, so the chain that remains still verifies from there), then
   * the delete, then an `audit.purge` entry naming the range, the checkpoint and who purged.
   */
  async function purgeBatch(olderThan: string, days: number, upTo: number): Promise<PurgeResult> {
    return strapi.db.transaction(async () => {
      const trx = await currentTransaction();
      const headQuery = trx(HEAD_TABLE).where({ id: 1 });
      await (isPostgres() ? headQuery.forUpdate() : headQuery).first();
      const oldest = (await trx(ENTRIES_TABLE).min({ seq: 'seq' }).first()) as { seq: number | string | null };
      // A prefix of the chain: everything before the first entry that is young enough to keep.
      const kept = (await trx(ENTRIES_TABLE).where('occurred_at', '>=', olderThan).min({ seq: 'seq' }).first()) as { seq: number | string | null };
      if (oldest?.seq === null || oldest?.seq === undefined) return { purged: 0, from: null, through: null, olderThan };
      const from = Number(oldest.seq);
      const last = kept?.seq === null || kept?.seq === undefined ? Number((await trx(HEAD_TABLE).where({ id: 1 }).first()).seq) : Number(kept.seq) - 1;
      const through = Math.min(last, upTo, from + PURGE_BATCH - 1);
      if (through < from) return { purged: 0, from: null, through: null, olderThan };

      const { hash } = (await trx(ENTRIES_TABLE).where({ seq: through }).first('hash')) as { hash: string };
      const checkpoint = await getService(strapi, 'checkpoints').insert(trx, { seq: through, hash }, 'purge');
      await permit(trx, through);
      const purged = await trx(ENTRIES_TABLE).where('seq', '<=', through).delete();
      await permit(trx, null);
      await getService(strapi, 'ledger').record({
        action: 'audit.purge',
        subject: 'audit-trail',
        id: `${from}-${through}`,
        details: {
          from,
          through,
          entries: purged,
          olderThan,
          retentionDays: days,
          // The head's hash under a name the redaction leaves alone (it hides members named "hash").
          checkpoint: { seq: checkpoint.seq, head: checkpoint.hash, occurredAt: checkpoint.occurredAt, keyId: checkpoint.keyId },
        },
      });
      return { purged, from, through, olderThan };
    });
  }

  return {
    /**
     * Deletes every entry written more than `days` (AUDIT_RETENTION_DAYS) before `now`, oldest
     * first, PURGE_BATCH at a time, each batch a complete purge of its own. Safe to run again: a
     * second run finds nothing old enough and records nothing.
     */
    async purge({ now = new Date(), days }: { now?: Date; days?: number } = {}) {
      const retentionDays = days ?? (strapi.config.get('plugin::audit-trail') as AuditTrailConfig).retentionDays;
      const olderThan = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
      const { seq: upTo } = await getService(strapi, 'ledger').head();
      const batches: PurgeResult[] = [];
      for (;;) {
        const batch = await purgeBatch(olderThan, retentionDays, upTo);
        if (!batch.purged) break;
        batches.push(batch);
      }
      return {
        purged: batches.reduce((sum, batch) => sum + batch.purged, 0),
        from: batches[0]?.from ?? null,
        through: batches[batches.length - 1]?.through ?? null,
        olderThan,
        batches: batches.length,
      };
    },
  };
};

export type RetentionService = ReturnType<typeof createRetention>;
export default createRetention;
