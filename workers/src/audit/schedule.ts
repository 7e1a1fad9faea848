import type { JobName } from '../catalogue';
import { startSchedule } from '../durable/schedule';
import type { JobStore } from '../durable/store';
import type { Logger } from '../logger';

/** Signed checkpoints of the audit trail: every hour, on the hour (UTC). */
export const AUDIT_CHECKPOINT_CRON = '0 * * * *';
/** The retention purge: daily, at a quiet time (UTC), away from the nightly backup's 03:00. */
export const AUDIT_PURGE_CRON = '30 4 * * *';

/** One slot's job; its key is the slot, so a slot runs once however many workers schedule it. */
const slotJob = <N extends 'audit.checkpoint' | 'audit.purge'>(name: N) => (slot: Date) => ({
  name,
  key: `${name}:scheduled:${slot.toISOString()}`,
  payload: { slot: slot.toISOString() },
  dueAt: slot,
});

export const scheduledCheckpointJob = slotJob('audit.checkpoint');
export const scheduledPurgeJob = slotJob('audit.purge');

/** The audit trail's schedules, for the jobs this worker runs (all by default). */
export function startAuditSchedules({ store, logger, names, everyMs, now }: { store: JobStore; logger: Logger; names?: JobName[]; everyMs?: number; now?: () => Date }) {
  const runs = (name: JobName) => !names || names.includes(name);
  const schedules = [
    runs('audit.checkpoint') ? startSchedule({ store, logger, cron: AUDIT_CHECKPOINT_CRON, setting: 'audit checkpoints', jobFor: scheduledCheckpointJob, everyMs, now }) : undefined,
    runs('audit.purge') ? startSchedule({ store, logger, cron: AUDIT_PURGE_CRON, setting: 'audit retention', jobFor: scheduledPurgeJob, everyMs, now }) : undefined,
  ].filter((schedule) => schedule !== undefined);
  return { stop: () => schedules.forEach((schedule) => schedule.stop()), tick: () => Promise.all(schedules.map((schedule) => schedule.tick())) };
}
