import { createBackupService } from './service';

/** Listing the bucket reads every backup's manifest: at most once a minute, however often Prometheus scrapes. */
const REFRESH_MS = 60_000;

type BackupMetrics = { lastSuccessAt: Date | null; lastVerifiedAt: Date | null; lastVerificationOk: boolean | null };

/**
 * The newest backups' state for the backup gauges (`setMetricSources({ backups })`), which the alert
 * rules read: when the newest verified backup was taken and checked, and whether the newest one passed.
 */
export function backupMetrics(service = createBackupService()): () => Promise<BackupMetrics> {
  let cached: { at: number; value: Promise<BackupMetrics> } | undefined;
  const read = async (): Promise<BackupMetrics> => {
    const backups = await service.list();
    const newest = backups[0];
    const verified = backups.find((backup) => backup.status === 'verified');
    return {
      lastSuccessAt: verified ? new Date(verified.createdAt) : null,
      lastVerifiedAt: verified?.verification ? new Date(verified.verification.checkedAt) : null,
      lastVerificationOk: newest?.verification ? newest.verification.ok : null,
    };
  };
  return () => {
    if (!cached || Date.now() - cached.at > REFRESH_MS) {
      const value = read();
      cached = { at: Date.now(), value };
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}
