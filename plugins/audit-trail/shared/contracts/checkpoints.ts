import type { CheckpointReason } from '../../server/src/services/checkpoints';
import type { SignedCheckpoint } from '../../server/src/utils/signing';

/**
 * A signed checkpoint as served: the chain head `{ seq, hash, occurredAt }`, Ed25519-signed over the
 * canonical JSON of those three members (`server/src/utils/signing.ts`). Keep it: `npm run audit:verify
 * -- --from-checkpoint <file>` proves the trail was only appended to since.
 */
export type Checkpoint = SignedCheckpoint & { reason: CheckpointReason };

/** `GET /api/audit-trail/checkpoints` and `GET /audit-trail/checkpoints`: newest first, with the key to verify them. */
export type ListCheckpointsResponse = {
  data: Checkpoint[];
  meta: {
    nextCursor: string | null;
    algorithm: 'Ed25519';
    /** The key that signs checkpoints now. */
    keyId: string;
    publicKey: string;
    /** Keys that signed checkpoints before a rotation (AUDIT_SIGNING_KEYS_RETIRED): they verify those, nothing newer. */
    retired: { keyId: string; publicKey: string }[];
  };
};
