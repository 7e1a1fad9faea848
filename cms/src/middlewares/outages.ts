import createError from 'http-errors';
import { outageOf } from '@ovation/workers/jobs';

const RETRY_AFTER_SECONDS = 5;

/**
 * A request that fails because Redis or the database is away is answered 503 with Retry-After, in
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
      throw createError(503, outage === 'redis' ? 'Live services are briefly unavailable: try again in a few seconds' : 'The database is briefly unavailable: try again in a few seconds');
    }
  };
};

export default outages;
