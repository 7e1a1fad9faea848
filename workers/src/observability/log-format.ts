import winston from 'winston';
import { workContext } from './request-context';
import { scrubText, scrubValue } from './scrub';

/**
 * A winston format for every log line of the cms and the workers: the request id (and the job, in a
 * worker) of the work it belongs to, and no phone number, email, token or secret value in its text.
 */
export const contextAndScrub = winston.format((info) => {
  const context = workContext();
  if (context) {
    info.requestId ??= context.requestId;
    if (context.job) info.job ??= context.job;
    if (context.jobId !== undefined) info.jobId ??= context.jobId;
  }
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    const value = info[key];
    info[key] = typeof value === 'string' ? scrubText(value) : scrubValue(value);
  }
  return info;
});
