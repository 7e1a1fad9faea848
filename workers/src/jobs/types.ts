import type { Core } from '@strapi/strapi';
import type Queue from 'bee-queue';
import type { JobName, JobPayloads } from '../catalogue';
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

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  context: JobContext,
  job: Pick<Queue.Job<JobPayloads[N]>, 'id'>
) => Promise<Record<string, unknown>>;
