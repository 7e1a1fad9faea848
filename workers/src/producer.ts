import Queue from 'bee-queue';
import { jobSchemas, type JobName, type JobPayloads } from './catalogue';
import { REDIS_PREFIX, queueSettings } from './settings';

export type EnqueueOptions = {
  /** A job id: a second enqueue with the same id is ignored by the queue. */
  id?: string;
  /** Run no earlier than this. */
  delayUntil?: Date;
};

/** Typed enqueueing for the cms and plugins; it never processes jobs. */
export function createJobProducer({ redisUrl }: { redisUrl: string }) {
  const queues = new Map<JobName, Queue>();

  const queueFor = (name: JobName) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: REDIS_PREFIX,
        redis: { url: redisUrl },
        isWorker: false,
        getEvents: false,
        sendEvents: false,
      });
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}) {
      const data = jobSchemas[name].parse(payload);
      const settings = queueSettings[name];
      const job = queueFor(name)
        .createJob(data)
        .retries(settings.retries)
        .backoff('exponential', settings.backoffMs)
        .timeout(settings.timeoutMs);
      if (options.id) job.setId(options.id);
      if (options.delayUntil) job.delayUntil(options.delayUntil);
      const saved = await job.save();
      return { id: saved.id };
    },

    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
    },
  };
}

export type JobProducer = ReturnType<typeof createJobProducer>;
