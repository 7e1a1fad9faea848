// The part of this package that producers import (`@ovation/workers/jobs`): no Strapi, no providers.
export { jobSchemas, JOB_NAMES, type JobName, type JobPayloads } from './catalogue';
export { queueSettings, REDIS_PREFIX, type QueueSettings } from './settings';
export { createJobProducer, type JobProducer, type EnqueueOptions } from './producer';
