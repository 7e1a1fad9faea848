import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Checkpoint, ListCheckpointsResponse } from '../../../shared/contracts/checkpoints';
import type { AuditTrailConfig } from '../config';
import { encodeCursor, type CheckpointFilters } from '../utils/filters';
import { getService } from '../utils/get-service';
import { CHECKPOINTS_TABLE, HEAD_TABLE } from '../utils/schema';
import { keyIdOf, parseRetiredKeys, parseSigningKey, signCheckpoint, type Keyring, type SigningKey } from '../utils/signing';

export type CheckpointReason = 'scheduled' | 'purge' | 'manual';

type CheckpointRow = { id: number; seq: number | string; hash: string; occurred_at: string; key_id: string; signature: string; reason: string; slot: string | null };

export const checkpointOf = (row: CheckpointRow): Checkpoint => ({
  seq: Number(row.seq),
  hash: row.hash,
  occurredAt: row.occurred_at,
  keyId: row.key_id,
  signature: row.signature,
  reason: row.reason as CheckpointReason,
});

const createCheckpoints = ({ strapi }: { strapi: Core.Strapi }) => {
  let key: SigningKey | undefined;
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const config = () => strapi.config.get('plugin::audit-trail') as AuditTrailConfig;

  /** The transaction in progress's query builder. */
  const currentTransaction = async () => (await strapi.db.transaction(async ({ trx }) => ({ trx: trx as Knex.Transaction }))).trx;

  const service = {
    /** The configured key (AUDIT_SIGNING_KEY, required in production, generated in development). */
    signingKey(): SigningKey {
      if (!key) {
        if (!config().signingKey) throw new Error('audit-trail: no AUDIT_SIGNING_KEY configured, so no checkpoint can be signed or verified');
        key = parseSigningKey(config().signingKey);
      }
      return key;
    },

    /** The configured key's public half and the retired keys (AUDIT_SIGNING_KEYS_RETIRED), to verify with. */
    keyring(): Keyring {
      return { current: service.signingKey().publicKey, retired: parseRetiredKeys(config().retiredKeys ?? '') };
    },

    /** What an outside party needs to verify the checkpoints it keeps, those signed before a rotation included. */
    publicKey() {
      const { publicKeyPem, keyId } = service.signingKey();
      const retired = service.keyring().retired.map((key) => ({ keyId: keyIdOf(key), publicKey: key.export({ type: 'spki', format: 'pem' }).toString() }));
      return { algorithm: 'Ed25519' as const, keyId, publicKey: publicKeyPem, retired };
    },

    /**
     * Signs `{ seq, hash, occurredAt }` of the entry `at` (the chain head by default) and stores it, in
     * the transaction in progress. The caller holds the chain head's lock, so the head cannot move meanwhile.
     */
    async insert(trx: Knex.Transaction, at: { seq: number; hash: string }, reason: CheckpointReason, slot: string | null = null): Promise<Checkpoint> {
      const signed = signCheckpoint({ seq: at.seq, hash: at.hash, occurredAt: new Date().toISOString() }, service.signingKey());
      await trx(CHECKPOINTS_TABLE).insert({ seq: signed.seq, hash: signed.hash, occurred_at: signed.occurredAt, key_id: signed.keyId, signature: signed.signature, reason, slot });
      return { ...signed, reason };
    },

    /**
     * A checkpoint of the chain head now, recorded in the trail by whoever asks (the hourly job, a
     * script) in the same transaction. With a `slot`, one checkpoint per slot: a job run again
     * returns the checkpoint its first run wrote.
     */
    async write({ reason, slot = null }: { reason: Exclude<CheckpointReason, 'purge'>; slot?: string | null }): Promise<Checkpoint> {
      return strapi.db.transaction(async () => {
        const trx = await currentTransaction();
        if (slot) {
          const done = (await trx(CHECKPOINTS_TABLE).where({ slot }).first()) as CheckpointRow | undefined;
          if (done) return checkpointOf(done);
        }
        const query = trx(HEAD_TABLE).where({ id: 1 });
        const head = (await (isPostgres() ? query.forUpdate() : query).first()) as { seq: number | string; hash: string };
        const checkpoint = await service.insert(trx, { seq: Number(head.seq), hash: head.hash }, reason, slot);
        await getService(strapi, 'ledger').record({
          action: 'audit.checkpoint',
          subject: 'audit-trail',
          id: String(checkpoint.seq),
          // The head's hash under a name the redaction leaves alone (it hides members named "hash").
          details: { seq: checkpoint.seq, head: checkpoint.hash, keyId: checkpoint.keyId, reason, slot },
        });
        return checkpoint;
      });
    },

    /** Newest first, by cursor (the last id seen). */
    async list(filters: CheckpointFilters): Promise<ListCheckpointsResponse> {
      const query = strapi.db.connection(CHECKPOINTS_TABLE).orderBy('id', 'desc').limit(filters.limit + 1);
      if (filters.cursor) query.where('id', '<', filters.cursor);
      const rows = (await query) as CheckpointRow[];
      const page = rows.slice(0, filters.limit);
      const more = rows.length > filters.limit;
      return {
        data: page.map(checkpointOf),
        meta: { nextCursor: more ? encodeCursor(page[page.length - 1].id) : null, ...service.publicKey() },
      };
    },

    /** Every stored checkpoint, oldest first (the verifier reads them in its own snapshot). */
    async all(knex: Knex): Promise<Checkpoint[]> {
      return ((await knex(CHECKPOINTS_TABLE).orderBy('id', 'asc')) as CheckpointRow[]).map(checkpointOf);
    },
  };
  return service;
};

export type CheckpointsService = ReturnType<typeof createCheckpoints>;
export default createCheckpoints;
