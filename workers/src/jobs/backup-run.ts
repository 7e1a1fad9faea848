import { BackupsNotConfiguredError } from '../backup/settings';
import { BackupVerificationFailedError, createBackupService } from '../backup/service';
import { PermanentJobError } from '../errors';
import type { JobHandler } from './types';

/**
 * Takes a backup (the payload names it), verifies it by restoring it into a scratch database, and
 * applies retention. A retried job starts its backup over (nothing of a failed attempt is listed: it
 * has no manifest); one already verified is not taken twice. A failed verification is an alert: logged
 * at error, recorded beside the backup (the admin's Backups page shows it), and the job fails for good
 * so the evidence stays as it is; "Back up now" takes a fresh one.
 */
export const runBackup: JobHandler<'backup.run'> = async ({ backupId }, { app, logger }) => {
  const audit = app.audit('backup.run');
  let backups;
  try {
    backups = createBackupService({ log: (message) => logger.info(message) });
  } catch (error) {
    if (error instanceof BackupsNotConfiguredError) throw new PermanentJobError(error.message);
    throw error;
  }
  try {
    const { manifest, verification, deleted, again } = await backups.backUp(backupId, app.source);
    const result = { backupId, bytes: manifest.object.bytes, durationMs: manifest.durationMs, verified: verification.ok, verifyMs: verification.durationMs, deleted };
    // The audit trail records each backup taken, once: a job retried after its entry failed to be
    // written finds the backup done and records it then; one retried after its entry was written adds none.
    await audit?.record({ action: 'backup.run', subject: 'backup', id: backupId, details: { ...result, tables: manifest.tables.length }, once: true });
    return { ...result, ...(again ? { alreadyDone: true } : {}) };
  } catch (error) {
    if (error instanceof BackupVerificationFailedError) {
      logger.error(`ALERT ${error.message}`);
      await audit
        ?.record({ action: 'backup.run', subject: 'backup', id: backupId, outcome: 'failure', error: { name: 'BackupVerificationFailedError', message: error.message } })
        .catch((auditError: Error) => logger.error(`backup ${backupId}: the audit trail could not record its failed verification: ${auditError.message}`));
      throw new PermanentJobError(error.message);
    }
    // Not chained to its cause: S3 refusing connections is this backup's failed attempt (retried after
    // its backoff, failed for good after the last), not a database outage that postpones it unnoticed.
    throw new Error(`Backup ${backupId} failed: ${(error as Error).message}`);
  } finally {
    backups.destroy();
  }
};
