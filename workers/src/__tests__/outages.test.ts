import { describe, expect, it } from 'vitest';
import { outageOf } from '../outages';

/** An error as the AWS SDK v3 throws it: the cause's own fields plus `$metadata` (and `$fault` for an answer). */
const sdkError = (fields: Record<string, unknown>, metadata: Record<string, unknown> = { attempts: 2, totalRetryDelay: 37 }) =>
  Object.assign(new Error(String(fields.message ?? 'UnknownError')), fields, { $metadata: metadata });

describe('outageOf', () => {
  it.each([
    ['S3 refusing connections', sdkError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9000' }), 's3'],
    ['S3 cutting a connection', sdkError({ code: 'ECONNRESET', message: 'socket hang up' }), 's3'],
    ['S3 not answering in time', sdkError({ name: 'TimeoutError', message: 'Connection timed out after 2000 ms' }), 's3'],
    ['S3 answering 503 SlowDown', sdkError({ name: 'SlowDown', $fault: 'server' }, { httpStatusCode: 503 }), 's3'],
    ['S3 answering 500', sdkError({ name: 'InternalError' }, { httpStatusCode: 500 }), 's3'],
    // Answers about the request, not outages: a 500 from them would be a bug to see.
    ['a missing bucket', sdkError({ name: 'NoSuchBucket', $fault: 'client' }, { httpStatusCode: 404 }), null],
    ['refused credentials', sdkError({ name: 'InvalidAccessKeyId', $fault: 'client' }, { httpStatusCode: 403 }), null],
    // Unchanged: the other dependencies.
    ['PostgreSQL refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'database'],
    ['Redis refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), 'redis'],
    ['a bug', new TypeError('x is undefined'), null],
  ])('%s → %s', (_label, error, outage) => {
    expect(outageOf(error)).toBe(outage);
    // Wrapped by a library, too.
    expect(outageOf(Object.assign(new Error('upload failed'), { cause: error }))).toBe(outage);
  });
});
