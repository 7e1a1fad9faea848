import { parseRetiredKeys, parseSigningKey } from '../utils/signing';

export type AuditTrailConfig = {
  /** `AUDIT_SIGNING_KEY`, an Ed25519 private key (PEM or base64 PKCS#8): signs checkpoints. Empty: none are written. */
  signingKey: string;
  /** `AUDIT_SIGNING_KEYS_RETIRED`: public keys that signed checkpoints before a rotation (they only verify). */
  retiredKeys?: string;
  /** `AUDIT_RETENTION_DAYS`: entries older than this are purged by the `audit.purge` job. */
  retentionDays: number;
};

export default {
  default: (): AuditTrailConfig => ({ signingKey: '', retentionDays: 365 }),
  validator(config: AuditTrailConfig) {
    // A key that cannot sign stops the start, naming what is wrong with it (never its value).
    if (config.signingKey) parseSigningKey(config.signingKey);
    if (config.retiredKeys) parseRetiredKeys(config.retiredKeys);
    if (!Number.isInteger(config.retentionDays) || config.retentionDays < 1) {
      throw new Error(`audit-trail: AUDIT_RETENTION_DAYS must be a whole number of days, 1 or more (got ${config.retentionDays})`);
    }
  },
};
