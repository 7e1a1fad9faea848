// What the cms and its plugins import for backups (`@ovation/workers/backups`): listing, health,
// download links. Taking a backup is the `backup.run` job's (or `npm run backup`'s).
export { createBackupService, type BackupService } from './backup/service';
export { backupsConfigured, BackupsNotConfiguredError } from './backup/settings';
export { backupHealth, type BackupHealth } from './backup/catalogue';
export { backupIdFor, BACKUP_ID, type BackupSummary, type BackupStatus } from './backup/manifest';
