import { describe, expect, it } from 'vitest';
import { backupIdFor } from '../manifest';
import { backupsToDelete, type RetainedBackup } from '../retention';
import { nextBackupSlot, scheduledBackupJob } from '../schedule';

const policy = { keepDaily: 30, keepMonthly: 6 };

/**
 * Eight months of nightly backups on a fake clock: each night the schedule's next slot is backed up
 * (now and then one fails verification, one is left half-done by a dying worker, or someone clicks
 * "Back up now" too), and retention runs after it, as the job does.
 */
function simulate({ start, days, failing = () => false }: { start: Date; days: number; failing?: (day: number) => boolean }) {
  let stored: RetainedBackup[] = [];
  let clock = start;
  for (let day = 0; day < days; day += 1) {
    const slot = nextBackupSlot('0 3 * * *', clock);
    const id = scheduledBackupJob(slot).payload.backupId;
    stored.push({ id, status: failing(day) ? 'verification-failed' : 'verified' });
    if (day % 45 === 7) stored.push({ id: backupIdFor(new Date(slot.getTime() + 3_600_000), `manual-${day}`), status: failing(day) ? 'verification-failed' : 'verified' });
    if (day % 60 === 11) stored.push({ id: backupIdFor(new Date(slot.getTime() + 7_200_000), `dead-${day}`), status: 'incomplete' });
    clock = new Date(slot.getTime() + 4 * 3_600_000); // the backup done, at 07:00
    const doomed = new Set(backupsToDelete(stored, clock, policy));
    stored = stored.filter((backup) => !doomed.has(backup.id));
  }
  return { stored, clock };
}

describe('backup retention over a simulated 8 months (fake clock)', () => {
  it('keeps the newest backup of each of the last 30 days and of each of the last 6 months', () => {
    const { stored, clock } = simulate({ start: new Date('2026-01-01T00:00:00Z'), days: 243 });
    expect(clock.toISOString()).toBe('2026-08-31T07:00:00.000Z');
    const days = stored.map((backup) => backup.id.slice(0, 8));
    // Aug 2 … Aug 31 (30 days), and the last backup of Mar, Apr, May, Jun, Jul (Aug is already in).
    const august = Array.from({ length: 30 }, (_, i) => `202608${String(i + 2).padStart(2, '0')}`);
    expect(days).toEqual(['20260331', '20260430', '20260531', '20260630', '20260731', ...august]);
    expect(stored.every((backup) => backup.status === 'verified')).toBe(true);
    // A night with a manual backup as well keeps only the newest of that day.
    expect(new Set(days).size).toBe(days.length);
  });

  it('keeps failed verifications while they are recent, and the newest verified backup however old', () => {
    // From day 150 on every verification fails (an alert nobody answered).
    const { stored } = simulate({ start: new Date('2026-01-01T00:00:00Z'), days: 243, failing: (day) => day >= 150 });
    const verified = stored.filter((backup) => backup.status === 'verified').map((backup) => backup.id.slice(0, 8));
    const failed = stored.filter((backup) => backup.status === 'verification-failed');
    // The last 30 nights' and one "Back up now" of Aug 21: every failure of the last 30 days, none older.
    expect(failed).toHaveLength(31);
    expect(failed.every((backup) => backup.id.slice(0, 8) >= '20260802')).toBe(true);
    // The last good one (day 149: May 30) stays; months before it keep their newest while within 6 months.
    expect(verified).toEqual(['20260331', '20260430', '20260530']);
  });

  it('removes a half-done attempt after two days, and never judges a backup stamped in the future', () => {
    const now = new Date('2026-05-10T12:00:00Z');
    const backups: RetainedBackup[] = [
      { id: backupIdFor(new Date('2026-05-10T03:00:00Z'), 'incomplete-young'), status: 'incomplete' },
      { id: backupIdFor(new Date('2026-05-07T03:00:00Z'), 'incomplete-old'), status: 'incomplete' },
      { id: backupIdFor(new Date('2026-05-11T03:00:00Z'), 'future'), status: 'unverified' },
      { id: backupIdFor(new Date('2026-05-10T03:00:00Z'), 'verified'), status: 'verified' },
    ];
    expect(backupsToDelete(backups, now, policy)).toEqual([backups[1].id]);
  });
});

describe('backup schedule', () => {
  it('gives each slot one job key, so any number of workers schedule it once', () => {
    const after = new Date('2026-12-02T03:00:00Z');
    expect(nextBackupSlot('0 3 * * *', after).toISOString()).toBe('2026-12-03T03:00:00.000Z');
    expect(nextBackupSlot('0 3 * * *', new Date('2026-12-02T02:59:59Z')).toISOString()).toBe('2026-12-02T03:00:00.000Z');
    const a = scheduledBackupJob(nextBackupSlot('0 3 * * *', new Date('2026-12-02T05:00:00Z')));
    const b = scheduledBackupJob(nextBackupSlot('0 3 * * *', new Date('2026-12-02T23:00:00Z')));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ key: 'backup.run:scheduled:2026-12-03T03:00:00.000Z', payload: { backupId: '20261203T030000Z-scheduled' } });
    expect(() => nextBackupSlot('every night', after)).toThrow();
  });
});
