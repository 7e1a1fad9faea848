import { backupIdFor } from './manifest';
import { nextSlot, startSchedule } from '../durable/schedule';
import type { JobStore } from '../durable/store';
import type { Logger } from '../logger';

/** The first slot of `cron` (UTC) after `after`. */
export const nextBackupSlot = (cron: string, after: Date): Date => nextSlot(cron, after, 'BACKUP_CRON');

/**
 * The job of one slot. Its idempotency key is the slot itself, so however many workers schedule it,
 * the slot has one row, and so one backup.
 */
export function scheduledBackupJob(slot: Date) {
  return { name: 'backup.run' as const, key: `backup.run:scheduled:${slot.toISOString()}`, payload: { backupId: backupIdFor(slot, 'scheduled') }, dueAt: slot };
}

/** Every worker keeps the next slot's backup queued (see durable/schedule.ts). */
export function startBackupSchedule({ store, logger, cron, everyMs, now }: { store: JobStore; logger: Logger; cron: string; everyMs?: number; now?: () => Date }) {
  return startSchedule({ store, logger, cron, setting: 'BACKUP_CRON', jobFor: scheduledBackupJob, everyMs, now });
}
