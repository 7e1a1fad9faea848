import createError from 'http-errors';
import { OUTAGE_MESSAGES, OUTAGE_RETRY_AFTER_SECONDS, outageOf } from '@ovation/workers/jobs';

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
      ctx.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      throw createError(503, OUTAGE_MESSAGES[outage]);
    }
  };
};

export default outages;
