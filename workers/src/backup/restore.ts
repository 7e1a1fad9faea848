import { compareTables } from './manifest';
import { connect, emptyDatabase, restoreInto, tableStats, userTableCount } from './postgres';
import type { BackupLog } from './run';
import type { BackupSettings } from './settings';
import type { BackupStorage } from './storage';
import { BackupRefusedError, readBackup, readManifest } from './verify';

export type RestoreProgress = (stage: 'checking' | 'restoring', done: number, total: number) => void;

/**
 * Restores a backup into the PostgreSQL database at `targetUrl`, refusing before it touches the target
 * when the target has tables (without `force`), or when the stored object is not exactly what its
 * manifest describes: the whole object is first read, authenticated frame by frame and hashed (read
 * once more to restore, so nothing is kept on disk or in memory). The restore is one transaction; its
 * tables are then compared with the manifest.
 */
export async function restorePostgresBackup({ id, targetUrl, force = false, settings, storage, log = () => undefined, progress }: {
  id: string;
  targetUrl: string;
  force?: boolean;
  settings: Pick<BackupSettings, 'key'>;
  storage: BackupStorage;
  log?: BackupLog;
  progress?: RestoreProgress;
}) {
  const started = Date.now();
  const manifest = await readManifest(storage, id);
  if (manifest.engine !== 'postgresql') throw new BackupRefusedError(`Backup ${id} is a ${manifest.engine} backup; this restores PostgreSQL backups`);
  const target = await connect(targetUrl, 'ovation-restore');
  try {
    const tables = await userTableCount(target);
    if (tables > 0 && !force) throw new BackupRefusedError(`The target database has ${tables} tables: refusing to write over it without --force`);

    log(`Checking backup ${id} (${manifest.object.bytes} bytes, ${manifest.tables.length} tables) before touching the target`);
    try {
      await readBackup(storage, manifest, settings.key, null, (done, total) => progress?.('checking', done, total));
    } catch (error) {
      throw new BackupRefusedError(`Refusing to restore backup ${id}: ${(error as Error).message}. The target was not touched.`);
    }

    if (tables > 0) {
      log(`--force: emptying the target's ${tables} tables`);
      await emptyDatabase(target);
    }
    log('Restoring');
    const restore = restoreInto(targetUrl);
    try {
      await readBackup(storage, manifest, settings.key, restore.input, (done, total) => progress?.('restoring', done, total));
    } catch (error) {
      restore.kill();
      await restore.done.catch(() => undefined);
      throw error;
    }
    await restore.done;
    const mismatches = compareTables(manifest.tables, await tableStats(target));
    return { manifest, mismatches, durationMs: Date.now() - started };
  } finally {
    await target.end().catch(() => undefined);
  }
}
