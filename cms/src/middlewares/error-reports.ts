import { errors } from '@strapi/utils';
import { reportError } from '@ovation/workers/jobs';

/**
 * Reports to Sentry (when SENTRY_DSN is set) the errors that strapi::errors will answer with a 500:
 * not bad input (Strapi's ApplicationErrors, 4xx HTTP errors), not outages (503 with Retry-After).
 */
const errorReports = () => {
  return async (ctx: { method: string; _matchedRoute?: unknown }, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const expected = error instanceof errors.ApplicationError || (typeof status === 'number' && (status < 500 || status === 503));
      if (!expected) reportError(error, { method: ctx.method, route: typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched' });
      throw error;
    }
  };
};

export default errorReports;
