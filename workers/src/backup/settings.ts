import { parseBackupKey } from './encryption';

/** Daily at 03:00 UTC. */
export const DEFAULT_BACKUP_CRON = '0 3 * * *';

export type BackupSettings = {
  bucket: string;
  s3: { endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  key: Buffer;
  /** S3 SSE-KMS on every object as well (BACKUP_S3_KMS_KEY_ID), for buckets whose policy asks for it. */
  kmsKeyId?: string;
  cron: string;
  keepDaily: number;
  keepMonthly: number;
};

export class BackupsNotConfiguredError extends Error {
  name = 'BackupsNotConfiguredError';
}

const count = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new BackupsNotConfiguredError(`${name} must be a whole number, not "${value}"`);
  return parsed;
};

/**
 * Where backups go and how they are sealed. The S3 connection settings are the platform's shared
 * ones (uploads use them too); the bucket and the key are the backups' own. Without the bucket or the
 * key, backups refuse to run (and say so): an unencrypted backup is never written.
 */
export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings {
  const missing = ['BACKUP_S3_BUCKET', 'BACKUP_ENCRYPTION_KEY'].filter((name) => !env[name]);
  if (missing.length) throw new BackupsNotConfiguredError(`Backups are not configured: set ${missing.join(' and ')}`);
  return {
    bucket: env.BACKUP_S3_BUCKET as string,
    s3: {
      endpoint: env.S3_ENDPOINT || undefined,
      region: env.S3_REGION || 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    },
    key: parseBackupKey(env.BACKUP_ENCRYPTION_KEY),
    kmsKeyId: env.BACKUP_S3_KMS_KEY_ID || undefined,
    cron: env.BACKUP_CRON || DEFAULT_BACKUP_CRON,
    keepDaily: count(env.BACKUP_KEEP_DAILY, 30, 'BACKUP_KEEP_DAILY'),
    keepMonthly: count(env.BACKUP_KEEP_MONTHLY, 6, 'BACKUP_KEEP_MONTHLY'),
  };
}

/** True when backups can run here (the scheduler stays quiet otherwise). */
export const backupsConfigured = (env: NodeJS.ProcessEnv = process.env) => Boolean(env.BACKUP_S3_BUCKET && env.BACKUP_ENCRYPTION_KEY);
