import type { JobName } from './catalogue';

export type QueueSettings = {
  /** Attempts after the first one. */
  retries: number;
  /** First retry delay; each later one doubles (exponential backoff). */
  backoffMs: number;
  /** A job running longer than this fails (and is retried). */
  timeoutMs: number;
  /** Jobs one worker process runs at once. */
  concurrency: number;
};

/** Retries, backoff, timeouts and concurrency for every queue, in one place. */
export const queueSettings: Record<JobName, QueueSettings> = {
  'message.send': { retries: 5, backoffMs: 2_000, timeoutMs: 30_000, concurrency: 10 },
  // Fans out a whole event's audience: long-running, one at a time, safe to repeat.
  'round.notify': { retries: 3, backoffMs: 5_000, timeoutMs: 10 * 60_000, concurrency: 1 },
};

/** How often each worker looks for jobs whose worker died mid-job, and hands them out again. */
export const STALL_INTERVAL_MS = 5_000;

/** Prefix of every Redis key Ovation writes: queues, leaderboards, rate limits (tests set their own). */
export const REDIS_PREFIX = process.env.REDIS_PREFIX || 'ovation';

/** How long shutdown waits for active jobs before leaving them to the stall check. */
export const SHUTDOWN_GRACE_MS = 20_000;
