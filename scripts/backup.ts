/**
 * `npm run backup`: takes a backup of the configured database now (the same code the workers' `backup.run`
 * job runs): dump, encrypt, upload to BACKUP_S3_BUCKET, manifest, verification by a restore into a
 * scratch database, retention. Prints the backup's id on its last line; exits 1 when any step failed.
 */
import crypto from 'crypto';
import { backupIdFor } from '../workers/src/backup/manifest';
import { createBackupService } from '../workers/src/backup/service';
import { backupSourceFromEnv } from '../workers/src/backup/source';
import { auditScript, CMS_DIR, cmsEnvironment } from './lib/backup-env';

async function main() {
  const env = cmsEnvironment();
  const backups = createBackupService({ env, log: (line) => console.log(line) });
  try {
    const id = backupIdFor(new Date(), `cli-${crypto.randomBytes(3).toString('hex')}`);
    const source = backupSourceFromEnv(env, CMS_DIR);
    console.log(`Backing up ${source.engine === 'postgresql' ? 'PostgreSQL' : `SQLite ${source.file}`} as ${id}`);
    const { manifest, verification } = await backups.backUp(id, source);
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    const details = { backupId: id, bytes: manifest.object.bytes, durationMs: manifest.durationMs, verified: verification.ok, verifyMs: verification.durationMs, tables: manifest.tables.length };
    await auditScript(source, 'backup', { action: 'backup.run', subject: 'backup', id, details });
    console.log(`Backed up ${manifest.tables.length} tables (${rows} rows), ${manifest.object.bytes} bytes encrypted, in ${manifest.durationMs} ms; verified in ${verification.durationMs} ms`);
    console.log(id);
  } finally {
    backups.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`Backup failed: ${error.message}`);
    process.exit(1);
  }
);
