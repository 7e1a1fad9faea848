import { summarise, type BackupSummary } from './manifest';
import { backupsToDelete, type RetainedBackup, type RetentionPolicy } from './retention';
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
  return doomed;
}
