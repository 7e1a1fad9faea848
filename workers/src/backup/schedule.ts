import { Cron } from 'croner';
import { backupIdFor } from './manifest';
import type { JobStore } from '../durable/store';
import type { Logger } from '../logger';

/** The first slot of `cron` (UTC) after `after`. */
export function nextBackupSlot(cron: string, after: Date): Date {
  const next = new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(after);
  if (!next) throw new Error(`BACKUP_CRON "${cron}" has no next time`);
  return next;
}

/**
 * The job of one slot. Its idempotency key is the slot itself, so however many workers schedule it,
 * the slot has one row, and so one backup.
 */
export function scheduledBackupJob(slot: Date) {
  return { name: 'backup.run' as const, key: `backup.run:scheduled:${slot.toISOString()}`, payload: { backupId: backupIdFor(slot, 'scheduled') }, dueAt: slot };
}

/**
 * Every worker keeps the next slot's backup queued as a row due at that time (scheduled work is a
 * row with a later due time): the sweeper hands it over when it is due, to one worker. A slot passed
 * while every worker was down still runs once one is back, as the row was written beforehand.
 */
export function startBackupSchedule({ store, logger, cron, everyMs = 60_000, now = () => new Date() }: { store: JobStore; logger: Logger; cron: string; everyMs?: number; now?: () => Date }) {
  nextBackupSlot(cron, now()); // a bad BACKUP_CRON stops the worker at start, with the reason
  let scheduled = '';
  const schedule = async () => {
    const job = scheduledBackupJob(nextBackupSlot(cron, now()));
    if (job.key === scheduled) return;
    const [created] = await store.insert([job], now());
    scheduled = job.key;
    if (created) logger.info(`Backup scheduled for ${job.dueAt.toISOString()} (BACKUP_CRON "${cron}")`);
  };
  const tick = () => schedule().catch((error: Error) => logger.warn(`backup schedule: ${error.message}`));
  void tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick: schedule };
}
