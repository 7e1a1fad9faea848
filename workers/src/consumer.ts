import Queue from 'bee-queue';
import { JOB_NAMES, jobSchemas, type JobName } from './catalogue';
import { PermanentJobError } from './errors';
import { handlers, type JobContext } from './jobs';
import { REDIS_PREFIX, queueSettings, SHUTDOWN_GRACE_MS, STALL_INTERVAL_MS } from './settings';

type RunningQueue = { name: JobName; queue: Queue };

async function runJob<N extends JobName>(name: N, job: Queue.Job<unknown>, context: JobContext) {
  const parsed = jobSchemas[name].safeParse(job.data);
  try {
    if (!parsed.success) throw new PermanentJobError(`Malformed ${name} payload: ${parsed.error.message}`);
    const handler = handlers[name] as (typeof handlers)[N];
    return await handler(parsed.data as never, context, job);
  } catch (error) {
    // Bee-Queue retries while retries remain; a permanent failure has none left.
    if (error instanceof PermanentJobError) job.options.retries = 0;
    throw error;
  }
}

/** Starts one Bee-Queue consumer per job name, each with its settings from settings.ts. */
export function startConsumers(context: JobContext & { redisUrl: string; names?: JobName[] }) {
  const { logger } = context;
  const running: RunningQueue[] = (context.names ?? JOB_NAMES).map((name) => {
    const queue = new Queue(name, {
      prefix: REDIS_PREFIX,
      redis: { url: context.redisUrl },
      isWorker: true,
      getEvents: false,
      sendEvents: false,
      removeOnSuccess: true,
      removeOnFailure: false,
      stallInterval: STALL_INTERVAL_MS,
      activateDelayedJobs: true,
    });
    queue.process(queueSettings[name].concurrency, (job) => runJob(name, job, context));
    void queue.checkStalledJobs(STALL_INTERVAL_MS);
    queue.on('error', (error) => logger.error(`${name} queue error: ${error.message}`));
    queue.on('retrying', (job, error) => logger.warn(`${name} job ${job.id} failed, will retry: ${error.message}`));
    queue.on('failed', (job, error) => logger.error(`${name} job ${job.id} failed for good: ${error.message}`));
    return { name, queue };
  });

  return {
    queues: running,
    async ready() {
      await Promise.all(running.map(({ queue }) => queue.ready()));
    },
    /** Stops taking jobs and waits for active ones; any still running are handed out again by the stall check. */
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      await Promise.all(running.map(({ queue }) => queue.close(graceMs)));
    },
  };
}

export type Consumers = ReturnType<typeof startConsumers>;
