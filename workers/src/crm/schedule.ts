import type { JobName } from '../catalogue';
import { startSchedule } from '../durable/schedule';
import type { JobStore } from '../durable/store';
import type { Logger } from '../logger';

/** The CRM's retention purge: daily, at a quiet time (UTC), after the audit trail's 04:30. */
export const CRM_RETENTION_CRON = '45 4 * * *';

/** One slot's job; its key is the slot, so a slot runs once however many workers schedule it. */
export const scheduledRetentionJob = (slot: Date) => ({
  name: 'crm.retention' as const,
  key: `crm.retention:scheduled:${slot.toISOString()}`,
  payload: { slot: slot.toISOString() },
  dueAt: slot,
});

/** The CRM's schedule, where this worker runs its retention job (all jobs by default). */
export function startCrmSchedules({ store, logger, names, everyMs, now }: { store: JobStore; logger: Logger; names?: JobName[]; everyMs?: number; now?: () => Date }) {
  if (names && !names.includes('crm.retention')) return undefined;
  return startSchedule({ store, logger, cron: CRM_RETENTION_CRON, setting: 'crm retention', jobFor: scheduledRetentionJob, everyMs, now });
}
