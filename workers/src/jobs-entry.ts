// The part of this package that the cms and plugins import (`@ovation/workers/jobs`): the catalogue,
// the durable job store and the producer. No providers, no consumers.
export { jobSchemas, JOB_NAMES, isJobName, type JobName, type JobPayloads } from './catalogue';
export { queueSettings, jobTimings, REDIS_PREFIX, DEFAULT_REDIS_URL, redisUrlFromEnv, type QueueSettings, type JobTimings } from './settings';
export { createJobProducer, type JobProducer, type EnqueueOptions } from './durable/producer';
export { createJobStore, JOBS_TABLE, JOB_STATES, type JobStore, type JobState, type JobRow, type JobRef } from './durable/store';
export { knexFor, afterCommit, type Knex } from './durable/strapi-db';
export { outageOf, surviveOutages, OUTAGE_MESSAGES, OUTAGE_RETRY_AFTER_SECONDS, type Outage } from './outages';
export { batchedByTurn } from './durable/batch';
// Observability shared by the cms, its plugins and the workers: one registry and one log format per process.
export { REQUEST_ID_HEADER, requestIdFrom, currentRequestId, runInContext, newRequestId, isValidRequestId, type WorkContext } from './observability/request-context';
export { atLeast, contextAndScrub } from './observability/log-format';
export { scrubText, scrubValue, SECRET_VARIABLES } from './observability/scrub';
export * as metrics from './observability/metrics';
export { initErrorTracking, reportError, flushErrorTracking, scrubEvent } from './observability/sentry';
export { asJob, auditActing, auditTrail, type AuditedOperation, type AuditIdentity } from './runtime/audit';
// CSV cells safe to open in a spreadsheet, for every CSV the cms and its plugins serve.
export { csvCell, csvLine } from './csv';
// Where Twilio posts message statuses, and the argument SendGrid echoes: the CRM's callbacks match them.
export { TWILIO_STATUS_CALLBACK_PATH, SENDGRID_REFERENCE_ARG } from './providers/paths';
// Personal data sealed and unsealed with PII_ENCRYPTION_KEY, and the outbox's rows: the cms writes
// messages through them, and so does a worker that reads the database alone (the campaign fan-out).
export { piiKeys, sealPII, unsealPII, piiLookupHash, maskIdentifier, type PiiKeys } from './pii';
export { writeOutbox, sendJobKey, OUTBOX_TABLE, type OutboundMessage, type SendJobs } from './outbox';
