import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Checkpoint } from '../../../shared/contracts/checkpoints';
import { GENESIS_HASH } from '../utils/canonical';
import type { EntryRow } from '../utils/entry';
import { getService } from '../utils/get-service';
import { ENTRIES_TABLE, HEAD_TABLE } from '../utils/schema';
import { keyIdOf, signatureProblem, type SignedCheckpoint } from '../utils/signing';
import { verifyChain, type ChainProblem, type ChainReport, type SignedHead } from '../utils/verify-chain';

const VERIFY_BATCH = 1_000;

type Coverage = {
  /** The first entry the retained chain holds (1 until a retention purge). */
  from: number;
  /** Stored checkpoints whose signatures were verified. */
  checkpoints: number;
  /** The kept checkpoint: matched in the chain, or older than the retained chain (its signature alone verified). */
  kept?: 'matched' | 'purged';
};

export type VerifyReport = ChainReport & Coverage;

const labelOf = (checkpoint: Checkpoint | SignedCheckpoint, kept: boolean) =>
  kept ? `the kept checkpoint (signed ${checkpoint.occurredAt})` : `the checkpoint signed ${checkpoint.occurredAt}`;

async function* batches(knex: Knex, after: number): AsyncGenerator<EntryRow[]> {
  for (;;) {
    const rows = (await knex(ENTRIES_TABLE).where('seq', '>', after).orderBy('seq', 'asc').limit(VERIFY_BATCH)) as EntryRow[];
    if (!rows.length) return;
    yield rows;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** The last entry the latest retention purge removed (0 when none has run), as its own entry records it. */
async function purgedThrough(knex: Knex): Promise<number> {
  const purge = (await knex(ENTRIES_TABLE).where({ action: 'audit.purge' }).orderBy('seq', 'desc').first('diff')) as { diff: string } | undefined;
  if (!purge) return 0;
  try {
    const through = Number((JSON.parse(purge.diff) as { after?: { through?: unknown } }).after?.through);
    return Number.isSafeInteger(through) && through > 0 ? through : 0;
  } catch {
    return 0; // an unreadable purge entry is named as edited by the walk
  }
}

const createVerification = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Verifies, in one snapshot of the database: every stored checkpoint's signature (with the configured
   * key), then the chain from the oldest retained entry (anchored by the signed checkpoint the last
   * purge left, or from entry 1), holding it to every checkpoint at or after that point and to the
   * `kept` one, which an outside party kept and which proves a rebuilt tail was rebuilt.
   */
  async verify({ kept }: { kept?: SignedCheckpoint } = {}): Promise<VerifyReport> {
    const isPostgres = strapi.db.dialect.client === 'postgres';
    const options = isPostgres ? { isolationLevel: 'repeatable read' as const, readOnly: true } : {};
    return strapi.db.connection.transaction(async (trx) => {
      const checkpoints = getService(strapi, 'checkpoints');
      const stored = await checkpoints.all(trx);
      const keyring = stored.length || kept ? checkpoints.keyring() : undefined;
      // When the configured key took over: its first checkpoint (retired keys verify only what is older).
      const currentKeyId = keyring && keyIdOf(keyring.current);
      const rotatedAt = stored.filter((checkpoint) => checkpoint.keyId === currentKeyId).map((checkpoint) => checkpoint.occurredAt).sort()[0];
      const through = await purgedThrough(trx);
      const result = (report: ChainReport, extra: Pick<Coverage, 'kept'> = {}): VerifyReport => ({ ...report, from: through + 1, checkpoints: stored.length, ...extra });
      const broken = (problem: ChainProblem) => result({ ok: false, verified: 0, problem });

      for (const checkpoint of stored) {
        const problem = signatureProblem(checkpoint, keyring!, rotatedAt);
        if (problem) return broken({ seq: checkpoint.seq, kind: 'signature', reason: `${labelOf(checkpoint, false)} at entry ${checkpoint.seq}: ${problem}` });
      }
      if (kept) {
        const problem = signatureProblem(kept, keyring!, rotatedAt);
        if (problem) return broken({ seq: kept.seq, kind: 'signature', reason: `${labelOf(kept, true)} at entry ${kept.seq}: ${problem}` });
      }

      // Where the retained chain starts: entry 1, or the entry after the last one purged, whose link
      // back is vouched for by the checkpoint the purge signed first.
      let startHash = GENESIS_HASH;
      if (through > 0) {
        const anchor = stored.filter((checkpoint) => checkpoint.seq === through).sort((a, b) => Number(b.reason === 'purge') - Number(a.reason === 'purge'))[0];
        if (!anchor) {
          return broken({ seq: through + 1, kind: 'missing', reason: `entries up to ${through} were purged, but no signed checkpoint of entry ${through} anchors the entries that remain` });
        }
        startHash = anchor.hash;
        const stray = (await trx(ENTRIES_TABLE).where('seq', '<=', through).min({ seq: 'seq' }).first()) as { seq: number | string | null };
        if (stray?.seq !== null && stray?.seq !== undefined) {
          return broken({ seq: Number(stray.seq), kind: 'inserted', reason: `entry ${stray.seq} stands before the retained chain (entries up to ${through} were purged)` });
        }
      }

      // Checkpoints of the last purged entry must agree with the anchor; older ones only had their signatures to verify.
      const all = [...stored.map((checkpoint) => ({ checkpoint, kept: false })), ...(kept ? [{ checkpoint: kept, kept: true }] : [])];
      for (const { checkpoint, kept: isKept } of all) {
        if (checkpoint.seq === through && checkpoint.hash !== startHash) {
          return broken({ seq: through, kind: 'rewritten', reason: `${labelOf(checkpoint, isKept)} signed another entry ${through} than the one the retained chain starts after` });
        }
      }
      const signed: SignedHead[] = all
        .filter(({ checkpoint }) => checkpoint.seq > through)
        .map(({ checkpoint, kept: isKept }) => ({ seq: checkpoint.seq, hash: checkpoint.hash, label: labelOf(checkpoint, isKept) }));

      const head = (await trx(HEAD_TABLE).where({ id: 1 }).first()) as { seq: number | string; hash: string } | undefined;
      const report = await verifyChain(batches(trx, through), head ? { seq: Number(head.seq), hash: head.hash } : null, {
        start: through > 0 ? { seq: through, hash: startHash } : undefined,
        signed,
      });
      return result(report, kept ? { kept: kept.seq >= through ? 'matched' : 'purged' } : {});
    }, options);
  },
});

export type VerificationService = ReturnType<typeof createVerification>;
export default createVerification;
