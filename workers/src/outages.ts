/**
 * Whether an error means a dependency is away (Redis, the database or S3), rather than a bug or bad
 * input: such a request is answered 503 with Retry-After, never a 500 or a hang.
 */
export type Outage = 'redis' | 'database' | 's3';

const REDIS_MESSAGES = [
  'Connection is closed',
  'Command timed out',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
  'NOSCRIPT',
  'LOADING',
];
const DATABASE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const DATABASE_MESSAGES = ['Connection terminated', 'Timeout acquiring a connection', 'is not queryable', 'Knex: Timeout', 'terminating connection'];

type Failure = {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  port?: number;
  command?: unknown;
  /** Set by the AWS SDK on every error of a call it made (S3). */
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
};
const S3_TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * An AWS SDK error that says S3 itself is away or failing (no connection, no answer in time, a 5xx
 * such as SlowDown or ServiceUnavailable), not that the request was wrong (403, 404, 400).
 */
function isS3Outage(failure: Failure) {
  if (!failure.$metadata) return false;
  const status = failure.$metadata.httpStatusCode;
  return (
    (failure.code !== undefined && NETWORK_CODES.has(failure.code)) ||
    S3_TIMEOUTS.has(failure.name ?? '') ||
    failure.$fault === 'server' ||
    (status !== undefined && status >= 500)
  );
}

export function outageOf(error: unknown, depth = 0): Outage | null {
  if (!error || typeof error !== 'object' || depth > 4) return null;
  const failure = error as Failure;
  const message = failure.message ?? '';
  if (isS3Outage(failure)) return 's3';
  if (failure.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((text) => message.includes(text))) return 'redis';
  if (failure.name === 'KnexTimeoutError' || (failure.code && DATABASE_CODES.has(failure.code)) || DATABASE_MESSAGES.some((text) => message.includes(text))) {
    return 'database';
  }
  if (failure.code && NETWORK_CODES.has(failure.code)) return /redis|6379/i.test(message) || failure.command ? 'redis' : 'database';
  return outageOf(failure.cause, depth + 1);
}

/** What a request that met an outage is told (503, in Strapi's error shape), and when to try again. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;
export const OUTAGE_MESSAGES: Record<Outage, string> = {
  redis: 'Live services are briefly unavailable: try again in a few seconds',
  database: 'The database is briefly unavailable: try again in a few seconds',
  s3: 'File storage is briefly unavailable: try again in a few seconds',
};

/**
 * Keeps the process up when a library leaves a rejected promise unhandled because a dependency went
 * away (Strapi's PostgreSQL connection setup does, when a connection is cut while it is being made).
 * Any other unhandled rejection is a bug and still ends the process, as Node does by default.
 */
export function surviveOutages(log: (message: string) => void) {
  process.on('unhandledRejection', (reason) => {
    const outage = outageOf(reason);
    if (!outage) throw reason;
    log(`${outage} unavailable (unhandled in a library, survived): ${(reason as Error)?.message ?? reason}`);
  });
}
