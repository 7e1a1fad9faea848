/**
 * `npm run restore -- <backup-id> [--target-url postgres://…] [--force]`: restores a backup into the
 * configured database (or `--target-url`). Refuses, before touching the target, a target that has
 * tables (unless --force, which empties it first), and a backup that is damaged, truncated or sealed
 * with another BACKUP_ENCRYPTION_KEY. Stop the cms and the workers first.
 */
import fs from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { BACKUP_ID } from '../workers/src/backup/manifest';
import { restorePostgresBackup } from '../workers/src/backup/restore';
import { createBackupService, type BackupSource } from '../workers/src/backup/service';
import { backupSourceFromEnv } from '../workers/src/backup/source';
import { restoreSqliteFile } from '../workers/src/backup/sqlite';
import { readManifest } from '../workers/src/backup/verify';
import { auditScript, CMS_DIR, cmsEnvironment, progressPrinter } from './lib/backup-env';

const USAGE = 'Usage: npm run restore -- <backup-id> [--target-url postgres://…] [--force]';

/**
 * The restore, recorded in the restored database's own audit trail (where it has one) once every
 * table has been checked: the chain as it was at the backup, then this entry.
 */
const auditRestore = (target: BackupSource, details: { backupId: string } & Record<string, unknown>) =>
  auditScript(target, 'restore', { action: 'backup.restore', subject: 'backup', id: details.backupId, details }).catch((error: Error) => {
    // The data is back: say so, and that its entry is missing (the exit code stays 1).
    throw new Error(`restored and checked, but the audit trail could not record the restore: ${error.message}`);
  });

async function main() {
  const { values, positionals } = parseArgs({ options: { 'target-url': { type: 'string' }, force: { type: 'boolean', default: false } }, allowPositionals: true });
  const [id] = positionals;
  if (!id || positionals.length > 1 || !BACKUP_ID.test(id)) throw new Error(`${id ? `"${id}" is not a backup id. ` : ''}${USAGE}`);
  const env = cmsEnvironment();
  const backups = createBackupService({ env, log: (line) => console.log(line) });
  const progress = progressPrinter();
  try {
    const manifest = await readManifest(backups.storage, id);
    const started = Date.now();
    if (manifest.engine === 'sqlite') {
      const source = backupSourceFromEnv({ ...env, DATABASE_URL: undefined }, CMS_DIR);
      const file = values['target-url'] ?? (source.engine === 'sqlite' ? source.file : '');
      if (fs.existsSync(file) && fs.statSync(file).size > 0 && !values.force) throw new Error(`${file} exists: refusing to write over it without --force`);
      const temporary = `${file}.restoring`;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        await restoreSqliteFile(backups.storage, manifest, backups.settings.key, temporary, (done, total) => progress('restoring', done, total));
      } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw error;
      }
      for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      fs.renameSync(temporary, file);
      const durationMs = Date.now() - started;
      await auditRestore({ engine: 'sqlite', file }, { backupId: id, takenAt: manifest.startedAt, target: path.basename(file), forced: values.force, durationMs });
      console.log(`Restored ${id} into ${file} in ${durationMs} ms`);
      return;
    }
    const targetUrl = values['target-url'] ?? env.DATABASE_URL;
    if (!targetUrl) throw new Error(`No target: set DATABASE_URL or pass --target-url. ${USAGE}`);
    const shown = new URL(targetUrl);
    shown.password = shown.password ? '***' : '';
    console.log(`Restoring ${id} (taken ${manifest.startedAt}, ${manifest.tables.length} tables) into ${shown}`);
    const { mismatches, durationMs } = await restorePostgresBackup({ id, targetUrl, force: values.force, settings: backups.settings, storage: backups.storage, log: (line) => console.log(line), progress });
    if (mismatches.length) throw new Error(`Restored, but ${mismatches.length} tables differ from the manifest: ${mismatches.map((m) => m.table).join(', ')}`);
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    const target = `${shown.host}${shown.pathname}`;
    await auditRestore({ engine: 'postgresql', url: targetUrl }, { backupId: id, takenAt: manifest.startedAt, target, tables: manifest.tables.length, rows, forced: values.force, durationMs });
    console.log(`Restored ${manifest.tables.length} tables (${rows} rows), every row count and checksum equal to the manifest, in ${durationMs} ms`);
  } finally {
    backups.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`Restore refused or failed: ${error.message}`);
    process.exit(1);
  }
);
