import { summarise, type BackupSummary } from './manifest';
import { backupsToDelete, INCOMPLETE_AFTER_MS, type RetainedBackup, type RetentionPolicy } from './retention';
import type { BackupStorage } from './storage';

/**
 * What is in the bucket, as people and jobs see it. Only a backup whose manifest exists (its upload
 * completed) is listed; its status comes from its verification object. A dump without a manifest is
 * an attempt that never finished: never listed, removed by retention.
 */
export async function listBackups(storage: BackupStorage): Promise<BackupSummary[]> {
  const ids = await storage.ids();
  const listed = await Promise.all(
    ids.map(async (id) => {
      const manifest = await storage.manifest(id);
      return manifest ? summarise(manifest, await storage.verification(id)) : null;
    })
  );
  return listed.filter((backup): backup is BackupSummary => backup !== null).reverse();
}

/** Applies the retention policy to the bucket; returns the ids it deleted. */
export async function enforceRetention(storage: BackupStorage, policy: RetentionPolicy, now = new Date()) {
  const ids = await storage.ids();
  const listed = new Map((await listBackups(storage)).map((backup) => [backup.id, backup.status]));
  const all: RetainedBackup[] = ids.map((id) => ({ id, status: listed.get(id) ?? 'incomplete' }));
  const doomed = backupsToDelete(all, now, policy);
  for (const id of doomed) await storage.remove(id);
  await storage.abortStaleUploads(new Date(now.getTime() - INCOMPLETE_AFTER_MS));
  return doomed;
}

/** A backup newer than this counts as recent (the nightly one, with time for a slow night). */
export const BACKUP_MAX_AGE_MS = 26 * 3_600_000;

export type BackupHealth = { ok: boolean; reason: string | null; lastVerifiedAt: string | null; lastVerifiedAgeMs: number | null };

/**
 * What the admin and the readiness checks show: not ok when the newest backup failed its
 * verification, or the newest verified one is older than 26 hours (or there is none).
 */
export function backupHealth(backups: BackupSummary[], now = new Date()): BackupHealth {
  const newest = backups[0];
  const verified = backups.find((backup) => backup.status === 'verified');
  const lastVerifiedAt = verified?.createdAt ?? null;
  const lastVerifiedAgeMs = verified ? now.getTime() - new Date(verified.createdAt).getTime() : null;
  let reason: string | null = null;
  if (newest?.status === 'verification-failed') reason = `The newest backup (${newest.id}) FAILED verification: ${newest.verification?.error ?? `${newest.verification?.mismatches} tables differ`}`;
  else if (!verified) reason = 'No verified backup yet';
  else if ((lastVerifiedAgeMs as number) > BACKUP_MAX_AGE_MS) reason = `The newest verified backup (${verified.id}) is older than 26 hours`;
  return { ok: reason === null, reason, lastVerifiedAt, lastVerifiedAgeMs };
}
