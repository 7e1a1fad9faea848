import type { Core } from '@strapi/strapi';
import { createJobProducer, redisUrlFromEnv, type JobProducer } from '@ovation/workers/jobs';

/**
 * The platform's durable job queue, for the cms and every plugin: `enqueue` writes the job with the
 * caller's transaction and hands it to the workers once that commits. Also what the Jobs page reads.
 */
const createJobs = ({ strapi }: { strapi: Core.Strapi }) => {
  let producer: JobProducer | undefined;
  const jobs = () => (producer ??= createJobProducer({ strapi, redisUrl: redisUrlFromEnv() }));

  return {
    enqueue: ((...args) => jobs().enqueue(...args)) as JobProducer['enqueue'],
    enqueueMany: ((...args) => jobs().enqueueMany(...args)) as JobProducer['enqueueMany'],
    retry: ((...args) => jobs().retry(...args)) as JobProducer['retry'],
    get store() {
      return jobs().store;
    },
    async shutdown() {
      await producer?.close();
      producer = undefined;
    },
  };
};

export type JobsService = ReturnType<typeof createJobs>;
export default createJobs;
