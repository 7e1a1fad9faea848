import crypto from 'crypto';
import Queue from 'bee-queue';
import type { JobName } from '../catalogue';
import { REDIS_PREFIX } from '../settings';
import type { JobRef } from './store';

type RedisClient = { ready: boolean; on(event: 'ready', listener: () => void): void };

// Bee-Queue loads its Lua scripts into Redis once, when a queue connects; a Redis that restarted
// empty no longer has them (every script call answers NOSCRIPT). They are loaded again on reconnect.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lua = require('bee-queue/lib/lua') as { buildCache(client: RedisClient): Promise<void> };

const WEEK_MS = 7 * 86_400_000;
const PUSH_TIMEOUT_MS = 2_000;

export type LaneLogger = { warn(message: string): void; debug?(message: string): void };

/** node_redis settings for Bee-Queue: reconnect forever, quickly (its default gives up after an hour). */
function redisSettings(url: string) {
  return {
    url,
    retry_strategy: ({ attempt }: { attempt: number }) => Math.min(attempt * 100, 1_000),
    connect_timeout: WEEK_MS,
  };
}

/** Jobs handed over together, as one Bee-Queue job: under load one Redis round trip serves many. */
export const HAND_OFF_SIZE = 20;

/** What Redis carries for a group of jobs: their row ids, nothing else. */
export type HandOff = { ids: number[] };

/**
 * The id of a hand-off: the same jobs at the same attempts always get the same id, so a second push
 * of it (a sweeper handing over again what Redis still has) is ignored by Redis.
 */
export const handOffId = (jobs: JobRef[]) =>
  crypto.createHash('sha1').update(jobs.map((job) => `${job.id}.${job.attempts}.${job.crashes}`).join(',')).digest('base64url').slice(0, 22);

/** Logs a repeating message at most once every `everyMs` (an outage must not flood the logs). */
export function throttledLog(log: (message: string) => void, everyMs = 10_000) {
  const last = new Map<string, number>();
  return (message: string) => {
    const now = Date.now();
    if ((last.get(message) ?? 0) + everyMs > now) return;
    last.set(message, now);
    log(message);
  };
}

/**
 * A Bee-Queue queue for one job name that survives Redis: every error is handled (a `Queue` without
 * an `error` listener ends the process), it reconnects forever and reloads its scripts after Redis
 * restarts. `worker` queues also take jobs and check for stalled ones.
 */
export function openQueue(name: JobName, { redisUrl, worker, logger, stallIntervalMs = 5_000 }: { redisUrl: string; worker: boolean; logger: LaneLogger; stallIntervalMs?: number }) {
  const queue = new Queue(name, {
    prefix: REDIS_PREFIX,
    redis: redisSettings(redisUrl) as Queue.QueueSettings['redis'],
    isWorker: worker,
    getEvents: false,
    sendEvents: false,
    storeJobs: false,
    removeOnSuccess: true,
    removeOnFailure: true,
    activateDelayedJobs: false,
    stallInterval: stallIntervalMs,
    // The first retry after Redis refused a blocking read; later ones double.
    initialRedisFailureRetryDelay: 250,
  } as Queue.QueueSettings);
  const warn = throttledLog(logger.warn.bind(logger));
  const client = () => (queue as unknown as { client: RedisClient }).client;
  const loadScripts = () => void lua.buildCache(client()).catch((error: Error) => warn(`${name} queue: scripts not loaded: ${error.message}`));
  queue.on('error', (error: Error) => {
    // A command queued during an outage may run before the scripts are loaded again: load them now
    // (the next stall check works). Anything else is worth a line in the log.
    if (/NOSCRIPT/.test(error.message)) loadScripts();
    else warn(`${name} queue: ${error.message}`);
  });

  const ready = queue.ready().then(() => {
    client().on('ready', loadScripts);
    return client();
  });
  ready.catch(() => undefined);
  return { queue, ready };
}

/**
 * The fast lane: hands job row ids to the workers through Redis. Best effort by design: a push that
 * fails or finds Redis away is reported, and the sweeper hands the job over later; PostgreSQL keeps
 * the job whatever happens here.
 */
export function createLane({ redisUrl, logger }: { redisUrl: string; logger: LaneLogger }) {
  const queues = new Map<JobName, ReturnType<typeof openQueue>>();
  const queueFor = (name: JobName) => {
    let opened = queues.get(name);
    if (!opened) {
      opened = openQueue(name, { redisUrl, worker: false, logger });
      queues.set(name, opened);
    }
    return opened;
  };

  const pushTo = async (name: JobName, jobs: JobRef[]) => {
    const { queue, ready } = queueFor(name);
    const client = await Promise.race([ready, new Promise<null>((resolve) => setTimeout(resolve, 200, null))]);
    // Redis is away: do not queue commands in memory; the sweeper hands these over when it is back.
    if (!client?.ready) return jobs.map((job) => job.id);
    const groups: JobRef[][] = [];
    for (let start = 0; start < jobs.length; start += HAND_OFF_SIZE) groups.push(jobs.slice(start, start + HAND_OFF_SIZE));
    const save = () => queue.saveAll(groups.map((group) => queue.createJob<HandOff>({ ids: group.map((job) => job.id) }).setId(handOffId(group))));
    let errors = await withTimeout(save(), PUSH_TIMEOUT_MS);
    if ([...errors.values()].some((error) => /NOSCRIPT/.test(String(error)))) {
      await lua.buildCache(client);
      errors = await withTimeout(save(), PUSH_TIMEOUT_MS);
    }
    const failed = new Set([...errors.keys()].map((handOff) => handOff.id));
    return groups.filter((group) => failed.has(handOffId(group))).flatMap((group) => group.map((job) => job.id));
  };

  return {
    /** Pushes hand-offs; resolves with the ids it could not push (never rejects). */
    async push(jobs: JobRef[]): Promise<number[]> {
      const byName = new Map<JobName, JobRef[]>();
      for (const job of jobs) byName.set(job.name, [...(byName.get(job.name) ?? []), job]);
      const failed = await Promise.all(
        [...byName].map(([name, group]) =>
          pushTo(name, group).catch((error: Error) => {
            logger.warn(`${name}: ${group.length} job(s) not handed to Redis, the sweeper will: ${error.message}`);
            return group.map((job) => job.id);
          })
        )
      );
      return failed.flat();
    },

    async close() {
      await Promise.all([...queues.values()].map(({ queue }) => queue.close(1_000).catch(() => undefined)));
      queues.clear();
    },
  };
}

export type Lane = ReturnType<typeof createLane>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer in ${ms} ms`)), ms);
    }),
  ]);
}
