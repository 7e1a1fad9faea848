import crypto from 'crypto';
import os from 'os';
import type Queue from 'bee-queue';
import { JOB_NAMES, jobSchemas, needsApp, type JobName } from './catalogue';
import { createLane, HAND_OFF_SIZE, openQueue, type HandOff, type Lane } from './durable/lane';
import type { ClaimedJob, JobRef, JobStore } from './durable/store';
import { PermanentJobError, RetryLaterError } from './errors';
import { handlers, type JobContext } from './jobs';
import { jobDuration, jobFailures, messageDeliveries } from './observability/metrics';
import { newRequestId, runInContext } from './observability/request-context';
import { reportError } from './observability/sentry';
import { outageOf } from './outages';
import { asJob } from './runtime/audit';
import { queueSettings, SHUTDOWN_GRACE_MS } from './settings';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a database write through a short outage (a restarted PostgreSQL, a dropped connection). */
async function persist<T>(write: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await delay(Math.min(250 * attempt, 2_000));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

/** At most `size` tasks at once; the others wait their turn. */
function createSlots(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      while (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      running += 1;
      try {
        return await task();
      } finally {
        running -= 1;
        waiting.shift()?.();
      }
    },
  };
}

export type ConsumerOptions = Omit<JobContext, 'handOff'> & { store: JobStore; redisUrl: string; names?: JobName[]; stallIntervalMs?: number };

/**
 * One Bee-Queue consumer per job name. Redis hands over a row id; the row in PostgreSQL decides:
 * the worker claims it (one attempt, leased), renews the lease while the handler runs, and records
 * the outcome. A hand-off for a job that is done, taken or not yet due does nothing.
 */
export function startConsumers(options: ConsumerOptions) {
  const { store, logger } = options;
  const names = options.names ?? JOB_NAMES;
  const { strapi } = options.app;
  if (!strapi && needsApp(names)) throw new Error(`${names.join(', ')}: these jobs use the app's services, and this worker has not loaded Strapi`);
  // The app's own jobs get Strapi itself (checked above); the others only what the runtime offers.
  // Jobs a handler enqueued in a transaction of its own, handed to the workers once it committed
  // (what the fast lane misses, the sweeper hands over).
  let lane: Lane | undefined;
  const handOff = async (jobs: JobRef[]) => {
    if (jobs.length === 0) return;
    const missed = await (lane ??= createLane({ redisUrl: options.redisUrl, logger })).push(jobs);
    await store.unpush(missed);
  };
  const context = { ...options, strapi, handOff } as JobContext & { strapi: NonNullable<typeof strapi> };
  const owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const active = new Map<number, ClaimedJob>();
  // A job whose worker died running it (a suspect) runs alone: if it is what takes the process down
  // (a poison job), it then takes down only itself, and the jobs that crashed beside it once finish on
  // their next run instead of dying with it again. Whatever arrives meanwhile waits here, unclaimed
  // (a worker that dies leaves nothing of it leased), and runs once this worker is free again.
  let alone: number | null = null;
  const deferred = new Map<number, { name: JobName; suspect: boolean }>();
  const slots = new Map<JobName, ReturnType<typeof createSlots>>();

  const drain = () => {
    if (alone !== null || active.size > 0 || deferred.size === 0) return;
    // One suspect at a time; ordinary jobs all together.
    const suspect = [...deferred].find(([, entry]) => entry.suspect);
    const next = suspect ? [suspect] : [...deferred];
    for (const [id, { name }] of next) {
      deferred.delete(id);
      slots.get(name)?.run(() => run(name, id)).catch((error: Error) => logger.warn(`${name} job ${id}: ${error.message}`));
    }
  };

  /** Claims the job, keeps its lease while it runs, and records how the attempt ended. */
  const run = async (name: JobName, id: number) => {
    if (alone !== null) {
      if (!deferred.has(id)) deferred.set(id, { name, suspect: false });
      return;
    }
    const job = await persist(() => store.claimBatched(id, owner), 5);
    if (!job) return;
    if (alone !== null || (job.crashes > 0 && active.size > 0)) {
      // Not now: it waits here for this worker to be free (and another worker may take it meanwhile).
      await persist(() => store.release(job.id, owner));
      deferred.set(id, { name, suspect: job.crashes > 0 });
      return;
    }
    if (job.crashes > 0) alone = job.id;
    active.set(job.id, job);
    const renew = setInterval(() => {
      store.renew(job.id, owner).then(
        (held) => held || logger.warn(`${name} job ${job.id}: lease lost (it ran out and the job was handed on)`),
        (error: Error) => logger.warn(`${name} job ${job.id}: lease not renewed: ${error.message}`)
      );
    }, Math.max(250, Math.floor(store.timings.leaseMs / 3)));
    renew.unref();
    try {
      await attempt(name, job);
    } finally {
      clearInterval(renew);
      active.delete(job.id);
      if (alone === job.id) alone = null;
      drain();
    }
  };

  // Each attempt runs in its job's context: its log lines carry the request id that enqueued it (a
  // job enqueued with no request, by the sweeper or a schedule, gets one of its own), and so do the
  // jobs it enqueues in turn.
  const attempt = (name: JobName, job: ClaimedJob) =>
    runInContext({ requestId: job.requestId ?? newRequestId(), job: name, jobId: job.id }, () => attemptInContext(name, job));

  const attemptInContext = async (name: JobName, job: ClaimedJob) => {
    const started = process.hrtime.bigint();
    const took = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const parsed = jobSchemas[name].safeParse(job.payload);
      if (!parsed.success) throw new PermanentJobError(`Malformed ${name} payload: ${parsed.error.message}`);
      const handler = handlers[name] as (payload: unknown, context: JobContext, job: ClaimedJob) => Promise<Record<string, unknown>>;
      const { timeoutMs } = queueSettings[name];
      const run = () => asJob(strapi, name, () => handler(parsed.data, context, job));
      const result = await withTimeout(run(), timeoutMs, `${name} job ${job.id} timed out after ${timeoutMs} ms`);
      await persist(() => store.completeBatched(job.id, owner, result));
      jobDuration.observe({ queue: name, outcome: 'done' }, took());
      if (name === 'message.send' && typeof result?.status === 'string') messageDeliveries.inc({ outcome: result.status });
      logger.debug(`${name} job ${job.id} done`);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const outage = outageOf(error);
      if (error instanceof RetryLaterError || outage) {
        // Nothing to blame the job for: the attempt is not spent.
        jobDuration.observe({ queue: name, outcome: 'postponed' }, took());
        logger.warn(`${name} job ${job.id} postponed: ${message}`);
        const delayMs = error instanceof RetryLaterError ? error.delayMs : 2_000;
        await persist(() => store.release(job.id, owner, { delayMs, reason: outage ? `${outage} unavailable: ${message}` : message }));
      } else {
        const outcome = await persist(() => store.fail(job, owner, message, { permanent: error instanceof PermanentJobError }));
        const final = outcome.state === 'failed';
        jobDuration.observe({ queue: name, outcome: final ? 'failed' : 'retry' }, took());
        jobFailures.inc({ queue: name, final: String(final) });
        if (final && name === 'message.send') messageDeliveries.inc({ outcome: 'failed' });
        const line = `${name} job ${job.id} attempt ${job.attempts}/${job.maxAttempts} failed: ${message}`;
        if (final) {
          logger.error(`${line} (failed for good; retry it from the admin's Jobs page)`);
          // Once per job that failed for good, not once per attempt.
          reportError(error, { queue: name, jobId: job.id });
        } else logger.warn(`${line} (next attempt at ${outcome.dueAt?.toISOString()})`);
      }
    }
  };

  const queues = names.map((name) => {
    const { queue, ready } = openQueue(name, { redisUrl: options.redisUrl, worker: true, logger, stallIntervalMs: options.stallIntervalMs });
    // A hand-off carries up to HAND_OFF_SIZE jobs; the slots keep at most `concurrency` of them running
    // (a job is claimed only when its slot is free), with about twice that many taken from Redis.
    const jobSlots = createSlots(queueSettings[name].concurrency);
    slots.set(name, jobSlots);
    const handOffs = Math.max(2, Math.ceil((2 * queueSettings[name].concurrency) / HAND_OFF_SIZE));
    queue.process(handOffs, (handOff: Queue.Job<HandOff>) => Promise.all(handOff.data.ids.map((id) => jobSlots.run(() => run(name, Number(id))))));
    void ready.then(() => queue.checkStalledJobs(options.stallIntervalMs ?? 5_000)).catch(() => undefined);
    return { name, queue, ready };
  });

  return {
    owner,
    queues,
    async ready() {
      await Promise.all(queues.map(({ ready }) => ready));
    },
    /** Stops taking jobs, waits for active ones, and hands back any still running after `graceMs`. */
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      await Promise.all(queues.map(({ queue }) => queue.close(graceMs).catch(() => undefined)));
      await Promise.all([...active.values()].map((job) => store.release(job.id, owner).catch(() => undefined)));
      // What waited here unclaimed goes to the other workers at the next sweep.
      await store.unpush([...deferred.keys()]).catch(() => undefined);
      await lane?.close();
    },
  };
}

export type Consumers = ReturnType<typeof startConsumers>;
