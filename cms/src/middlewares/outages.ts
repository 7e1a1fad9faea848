import createError from 'http-errors';
import { outageOf } from '@ovation/workers/jobs';

const RETRY_AFTER_SECONDS = 5;

const MESSAGES = {
  redis: 'Live services are briefly unavailable: try again in a few seconds',
  database: 'The database is briefly unavailable: try again in a few seconds',
  s3: 'File storage is briefly unavailable: try again in a few seconds',
} as const;

/**
 * A request that fails because Redis, the database or S3 (uploads) is away is answered 503 with Retry-After, in
 * Strapi's error shape, so clients (and the load balancer) wait and retry instead of seeing a 500.
 */
const outages = () => {
  return async (ctx: { set(name: string, value: string): void }, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error) {
      const outage = outageOf(error);
      if (!outage) throw error;
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      throw createError(503, MESSAGES[outage]);
    }
  };
};

export default outages;
