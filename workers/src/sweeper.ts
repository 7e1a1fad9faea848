import crypto from 'crypto';
import Redis from 'ioredis';
import { throttledLog, type Lane } from './durable/lane';
import type { JobStore } from './durable/store';
import type { Logger } from './logger';
import { jobsReaped } from './observability/metrics';
import { REDIS_PREFIX } from './settings';

const BATCH = 500;
const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Keeps PostgreSQL and the fast lane in step, every `sweepIntervalMs`, in every worker (safe with
 * many): jobs whose worker died go back to the queue (or are marked dead), and due jobs that Redis
 * does not have (a lost hand-off, a retry whose time came, a Redis that restarted empty) are handed
 * over again.
 *
 * A Redis that lost its data is noticed by an epoch key the sweeper writes and expects to find.
 */
export function startSweeper({ store, lane, redisUrl, logger }: { store: JobStore; lane: Lane; redisUrl: string; logger: Logger }) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times) => Math.min(times * 100, 1_000) });
  const warn = throttledLog((message) => logger.warn(message));
  redis.on('error', (error) => warn(`sweeper: Redis: ${error.message}`));
  const epochKey = `${REDIS_PREFIX}:jobs:epoch`;
  let epoch: string | undefined;
  let lastPurge = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  /** True when Redis still holds what it was given; false (once) after it lost everything. */
  const redisKeptItsData = async () => {
    const fresh = crypto.randomUUID();
    const created = (await redis.set(epochKey, fresh, 'NX')) === 'OK';
    const current = created ? fresh : await redis.get(epochKey);
    const kept = !created && current === epoch;
    const firstLook = epoch === undefined;
    epoch = current ?? undefined;
    // On a worker's first look, an existing epoch means Redis kept its data; a new one means it may not have.
    return firstLook ? !created : kept;
  };

  // Each step on its own: one failing (the database away, say) does not hold up the others.
  const step = (name: string, work: () => Promise<void>) => work().catch((error: Error) => warn(`sweeper: ${name}: ${error.message}`));

  const reap = async () => {
    const reaped = await store.reap();
    for (const job of reaped) {
      jobsReaped.inc({ queue: job.name, state: job.state });
      if (job.state === 'dead') logger.error(`${job.name} job ${job.id} is dead: its worker died ${job.crashes} times running it. Retry it from the admin's Jobs page once the cause is fixed.`);
      else logger.warn(`${job.name} job ${job.id}: its worker stopped; queued again (crash ${job.crashes})`);
    }
  };

  const handOver = async () => {
    if (redis.status !== 'ready') return; // Redis is away: nothing to hand over to
    if (!(await redisKeptItsData())) {
      const forgotten = await store.forgetPushes();
      if (forgotten) logger.warn(`Redis lost its queues: handing ${forgotten} queued job(s) over again`);
    }
    for (;;) {
      const due = await store.takeDue(BATCH);
      if (due.length === 0) break;
      const missed = await lane.push(due);
      await store.unpush(missed);
      if (missed.length > 0 || due.length < BATCH) break;
    }
  };

  const purge = async () => {
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      const purged = await store.purgeDone();
      if (purged) logger.info(`Deleted ${purged} finished job(s) older than ${store.timings.retentionDays} days`);
    }
  };

  const sweep = async () => {
    await step('reaping expired leases', reap);
    await step('handing over due jobs', handOver);
    await step('deleting old jobs', purge);
  };

  const tick = () => {
    if (stopped) return;
    running = sweep().finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, store.timings.sweepIntervalMs);
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      redis.disconnect();
    },
  };
}
