import type { Core } from '@strapi/strapi';
import type { JobName, JobPayloads } from '../catalogue';
import type { ClaimedJob } from '../durable/store';
import type { Logger } from '../logger';
import type { Providers } from '../providers';

/** What every handler gets besides its payload. */
export type JobContext = {
  strapi: Core.Strapi;
  providers: Providers;
  logger: Logger;
  /** Waits until the provider's sending rate allows one more message on this channel. */
  throttle?: (channel: 'sms' | 'email') => Promise<void>;
};

/** A handler runs one attempt of a job; it must be safe to run again (delivery is at least once). */
export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  context: JobContext,
  job: Pick<ClaimedJob, 'id' | 'attempts'>
) => Promise<Record<string, unknown>>;
