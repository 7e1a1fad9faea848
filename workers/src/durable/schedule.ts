import { Cron } from 'croner';
import type { JobName } from '../catalogue';
import type { Logger } from '../logger';
import type { JobStore, NewJob } from './store';

/** The first slot of `cron` (UTC) after `after`; `setting` names where the expression came from. */
export function nextSlot(cron: string, after: Date, setting = 'cron'): Date {
  const next = new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(after);
  if (!next) throw new Error(`${setting} "${cron}" has no next time`);
  return next;
}

/**
 * Keeps the job of `cron`'s next slot queued as a row due at that time (scheduled work is a row with
 * a later due time): the sweeper hands it over when it is due, to one worker. Every worker runs this;
 * `jobFor`'s key is the slot itself, so however many workers schedule it, a slot has one row, and so
 * one run. A slot passed while every worker was down still runs once one is back, as the row was
 * written beforehand.
 */
export function startSchedule<N extends JobName>({
  store,
  logger,
  cron,
  setting,
  jobFor,
  everyMs = 60_000,
  now = () => new Date(),
}: {
  store: JobStore;
  logger: Logger;
  cron: string;
  /** What the cron expression is called where it is set (a bad one stops the worker at start, naming it). */
  setting: string;
  jobFor: (slot: Date) => NewJob<N> & { dueAt: Date };
  everyMs?: number;
  now?: () => Date;
}) {
  nextSlot(cron, now(), setting);
  let scheduled = '';
  const schedule = async () => {
    const job = jobFor(nextSlot(cron, now(), setting));
    if (job.key === scheduled) return;
    const [created] = await store.insert([job], now());
    scheduled = job.key;
    if (created) logger.info(`${job.name} scheduled for ${job.dueAt.toISOString()} (${setting} "${cron}")`);
  };
  const tick = () => schedule().catch((error: Error) => logger.warn(`${setting} schedule: ${error.message}`));
  void tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick: schedule };
}
