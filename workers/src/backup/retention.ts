import { backupTime, type BackupStatus } from './manifest';

export type RetainedBackup = { id: string; status: BackupStatus | 'incomplete' };
export type RetentionPolicy = { keepDaily: number; keepMonthly: number };

const DAY = 86_400_000;
/** Leftovers of an attempt that never wrote a manifest (its worker died) go after this long. */
export const INCOMPLETE_AFTER_MS = 2 * DAY;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const monthOf = (at: Date) => at.toISOString().slice(0, 7);

/**
 * Which backups to delete (ids), by UTC calendar days and months:
 *
 * - verified backups: the newest of each of the last `keepDaily` days and of each of the last
 *   `keepMonthly` months (this one included) stay, and so does the newest verified backup whatever its
 *   age, and every one less than a day old;
 * - backups that failed verification or are not verified yet stay as long as the daily ones (the
 *   evidence of an alert; one being verified right now is young);
 * - an attempt that left no manifest (its worker died) goes after two days.
 */
export function backupsToDelete(backups: RetainedBackup[], now: Date, { keepDaily, keepMonthly }: RetentionPolicy): string[] {
  const dated = backups.map((backup) => ({ ...backup, at: backupTime(backup.id) })).filter((backup): backup is RetainedBackup & { at: Date } => backup.at !== null);
  const firstDay = dayOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (keepDaily - 1))));
  const firstMonth = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (keepMonthly - 1), 1)));
  const verified = dated.filter((backup) => backup.status === 'verified').sort((a, b) => b.at.getTime() - a.at.getTime());

  const keep = new Set<string>();
  if (verified[0]) keep.add(verified[0].id);
  // A day's own backups all stay until the day is over: "Back up now" never costs the night's backup.
  for (const backup of verified) if (now.getTime() - backup.at.getTime() < DAY) keep.add(backup.id);
  const days = new Set<string>();
  const months = new Set<string>();
  for (const backup of verified) {
    const day = dayOf(backup.at);
    const month = monthOf(backup.at);
    if (keepDaily > 0 && day >= firstDay && !days.has(day)) {
      days.add(day);
      keep.add(backup.id);
    }
    if (keepMonthly > 0 && month >= firstMonth && !months.has(month)) {
      months.add(month);
      keep.add(backup.id);
    }
  }
  for (const backup of dated) {
    if (backup.status === 'incomplete') {
      if (now.getTime() - backup.at.getTime() < INCOMPLETE_AFTER_MS) keep.add(backup.id);
    } else if (backup.status !== 'verified' && dayOf(backup.at) >= firstDay) {
      keep.add(backup.id);
    }
  }
  // A backup stamped in the future (a clock ahead) is never ours to judge.
  return dated.filter((backup) => !keep.has(backup.id) && backup.at.getTime() <= now.getTime()).map((backup) => backup.id);
}
