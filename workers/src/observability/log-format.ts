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

/**
 * Drops a line below `level` before any other format runs: winston formats every line and only then
 * lets the transport drop it, so without this a filtered debug line still pays for JSON and scrubbing.
 */
export const atLeast = (level: string) => {
  const levels = winston.config.npm.levels;
  const threshold = levels[level] ?? levels.info;
  return winston.format((info) => ((levels[info.level] ?? 0) <= threshold ? info : false))();
};
