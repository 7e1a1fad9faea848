import type { Core } from '@strapi/strapi';
import type { AppJobName, JobName, JobPayloads } from '../catalogue';
import type { ClaimedJob, JobRef } from '../durable/store';
import type { Logger } from '../logger';
import type { Providers } from '../providers';
import type { AppRuntime } from '../runtime/app';

/** What every handler gets besides its payload; the app's own jobs (`APP_JOBS`) get Strapi too. */
export type JobContext<N extends JobName = JobName> = (N extends AppJobName ? { strapi: Core.Strapi } : unknown) & {
  app: AppRuntime;
  providers: Providers;
  logger: Logger;
  /** Waits until the provider's sending rate allows one more message on this channel. */
  throttle?: (channel: 'sms' | 'email') => Promise<void>;
  /** Hands jobs the handler enqueued in a transaction of its own to the workers, once it has committed. */
  handOff(jobs: JobRef[]): Promise<void>;
};

/** A handler runs one attempt of a job; it must be safe to run again (delivery is at least once). */
export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  context: JobContext<N>,
  job: Pick<ClaimedJob, 'id' | 'attempts'>
) => Promise<Record<string, unknown>>;
