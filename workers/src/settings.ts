import type { JobName } from './catalogue';

export type QueueSettings = {
  /** Attempts in all, the first one included, before a job is marked failed. */
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles (exponential backoff), capped at an hour. */
  backoffMs: number;
  /** An attempt running longer than this is given up (and retried); the handler's own calls time out sooner. */
  timeoutMs: number;
  /** Jobs one worker process runs at once. */
  concurrency: number;
};

/** Attempts, backoff, timeouts and concurrency for every job, in one place. */
export const queueSettings: Record<JobName, QueueSettings> = {
  'message.send': { maxAttempts: 6, backoffMs: 2_000, timeoutMs: 60_000, concurrency: 100 },
  // Fans out a whole event's audience: long-running, one at a time, safe to repeat.
  'round.notify': { maxAttempts: 4, backoffMs: 5_000, timeoutMs: 30 * 60_000, concurrency: 1 },
  // Dumps, uploads and restores the whole database: one at a time, hours allowed, a minute before a retry.
  'backup.run': { maxAttempts: 3, backoffMs: Number(process.env.BACKUP_RETRY_BACKOFF_MS) || 60_000, timeoutMs: 3 * 3_600_000, concurrency: 1 },
  // One small transaction; retried well within its hour.
  'audit.checkpoint': { maxAttempts: 5, backoffMs: 30_000, timeoutMs: 60_000, concurrency: 1 },
  // Batches of 10,000 entries, each its own transaction; a first purge of years of entries takes a while.
  'audit.purge': { maxAttempts: 5, backoffMs: 60_000, timeoutMs: 3_600_000, concurrency: 1 },
  // One HTTP attempt (15 s at most, WEBHOOKS_TIMEOUT_MS): the retry schedule is the delivery's own
  // (webhooks/settings.ts), each retry a job of its own, so these attempts are for crashes only.
  // Writes an event's deliveries in one small transaction; a repeat adds none, so retried freely.
  'webhook.fanout': { maxAttempts: 10, backoffMs: 2_000, timeoutMs: 60_000, concurrency: 20 },
  'webhook.deliver': { maxAttempts: 3, backoffMs: 5_000, timeoutMs: 60_000, concurrency: 100 },
  'webhook.notify': { maxAttempts: 5, backoffMs: 30_000, timeoutMs: 60_000, concurrency: 1 },
  // A campaign's whole audience, a batch per transaction from where the last attempt stopped: long, safe to repeat.
  'campaign.fanout': { maxAttempts: 6, backoffMs: 5_000, timeoutMs: 30 * 60_000, concurrency: 2 },
  // Batches of 1,000 rows, each its own statement; a first purge of years of messages takes a while. Safe to repeat.
  'crm.retention': { maxAttempts: 5, backoffMs: 60_000, timeoutMs: 3_600_000, concurrency: 1 },
};

const positive = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
};

/** The job layer's timings; every worker reads them from its environment. */
export type JobTimings = {
  /** How long a claimed job stays its worker's without a heartbeat; a dead worker's jobs come back after this. */
  leaseMs: number;
  /** How often each worker reaps expired leases and hands due jobs to the fast lane. */
  sweepIntervalMs: number;
  /** A queued job handed to the fast lane this long ago and still not started is handed over again. */
  repushAfterMs: number;
  /** A job whose worker died this many times is dead: never handed out again until an admin retries it. */
  maxCrashes: number;
  /** Finished (done) jobs are deleted after this many days. */
  retentionDays: number;
};

export function jobTimings(env: NodeJS.ProcessEnv = process.env): JobTimings {
  return {
    leaseMs: positive(env.JOB_LEASE_MS, 15_000),
    sweepIntervalMs: positive(env.JOB_SWEEP_INTERVAL_MS, 1_000),
    repushAfterMs: positive(env.JOB_REPUSH_AFTER_MS, 30_000),
    maxCrashes: positive(env.JOB_MAX_CRASHES, 3),
    retentionDays: positive(env.JOB_RETENTION_DAYS, 14),
  };
}

/** Where Redis is when REDIS_URL does not say. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const redisUrlFromEnv = (env: NodeJS.ProcessEnv = process.env) => env.REDIS_URL || DEFAULT_REDIS_URL;

/** Prefix of every Redis key Ovation writes: queues, leaderboards, rate limits (tests set their own). */
export const REDIS_PREFIX = process.env.REDIS_PREFIX || 'ovation';

/** How long shutdown waits for active jobs before handing them back to the queue. */
export const SHUTDOWN_GRACE_MS = 20_000;
