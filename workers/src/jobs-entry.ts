// The part of this package that the cms and plugins import (`@ovation/workers/jobs`): the catalogue,
// the durable job store and the producer. No providers, no consumers.
export { jobSchemas, JOB_NAMES, isJobName, type JobName, type JobPayloads } from './catalogue';
export { queueSettings, jobTimings, REDIS_PREFIX, DEFAULT_REDIS_URL, redisUrlFromEnv, type QueueSettings, type JobTimings } from './settings';
export { createJobProducer, type JobProducer, type EnqueueOptions } from './durable/producer';
export { createJobStore, JOBS_TABLE, JOB_STATES, type JobStore, type JobState, type JobRow, type JobRef } from './durable/store';
export { knexFor, afterCommit, type Knex } from './durable/strapi-db';
export { outageOf, surviveOutages, type Outage } from './outages';
export { batchedByTurn } from './durable/batch';
