import type { BackupSummary, BackupHealth } from '@ovation/workers/backups';
import type { JobRow } from '@ovation/workers/jobs';

/** `GET /ops/backups`: the backups in the bucket (newest first), their health, and backup jobs not done. */
export type BackupsOverview = { configured: boolean; backups: BackupSummary[]; health: BackupHealth; jobs: JobRow[] };
/** `POST /ops/backups` (202): the backup a job will now take. */
export type BackUpNowResult = { backupId: string; jobId: number | null };
/** `GET /ops/backups/:id/download`: a signed link to the encrypted dump. */
export type BackupDownload = { url: string; expiresInSeconds: number };
export type { BackupSummary, BackupHealth };
