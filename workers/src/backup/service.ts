import { enforceRetention, listBackups } from './catalogue';
import type { BackupManifest, BackupVerification } from './manifest';
import { backUpPostgres, type BackupLog } from './run';
import { backupSettings } from './settings';
import { backUpSqlite, verifySqliteBackup } from './sqlite';
import { createBackupStorage } from './storage';
import { verifyPostgresBackup } from './verify';

/** The database a backup is of: PostgreSQL by URL, or the laptop's SQLite file. */
export type BackupSource = { engine: 'postgresql'; url: string } | { engine: 'sqlite'; file: string };

export class BackupVerificationFailedError extends Error {
  name = 'BackupVerificationFailedError';
}

/**
 * Backups as one object for the job, the CLI and the admin: take one (dump, upload, manifest,
 * verification, retention), list them, link to one.
 */
export function createBackupService({ env = process.env, log = () => undefined }: { env?: NodeJS.ProcessEnv; log?: BackupLog } = {}) {
  const settings = backupSettings(env);
  const storage = createBackupStorage(settings);

  return {
    settings,
    storage,
    list: () => listBackups(storage),
    downloadUrl: (id: string) => storage.downloadUrl(id),

    /**
     * Takes backup `id` of `source`, verifies it, and applies retention. Safe to run again with the
     * same id (a retried job): a backup already verified is left as it is, anything less starts over.
     */
    async backUp(id: string, source: BackupSource, now = () => new Date()) {
      const existing = await storage.verification(id);
      if (existing?.ok && (await storage.manifest(id))) {
        return { manifest: (await storage.manifest(id)) as BackupManifest, verification: existing, deleted: [] as string[], again: true };
      }
      let manifest: BackupManifest;
      let verification: BackupVerification;
      if (source.engine === 'postgresql') {
        manifest = await backUpPostgres({ databaseUrl: source.url, id, settings, storage, log });
        verification = await verifyPostgresBackup({ databaseUrl: source.url, id, settings, storage, log });
      } else {
        manifest = await backUpSqlite({ file: source.file, id, settings, storage, log });
        verification = await verifySqliteBackup({ id, settings, storage, log });
      }
      if (!verification.ok) {
        const why = verification.error ?? verification.mismatches.map((m) => `${m.table}: expected ${m.expected?.rows ?? 'no'} rows, found ${m.found?.rows ?? 'no table'}`).join('; ');
        throw new BackupVerificationFailedError(`Backup ${id} FAILED verification: ${why}`);
      }
      log(`backup ${id}: verified (restored and compared ${manifest.tables.length} tables in ${verification.durationMs} ms)`);
      const deleted = await enforceRetention(storage, settings, now());
      if (deleted.length) log(`backup retention: deleted ${deleted.join(', ')}`);
      return { manifest, verification, deleted, again: false };
    },

    destroy: () => storage.destroy(),
  };
}

export type BackupService = ReturnType<typeof createBackupService>;
