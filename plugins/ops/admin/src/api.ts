import type { JobRow, JobState } from '@ovation/workers/jobs';
import { PLUGIN_ID } from './plugin-id';

/** Shapes of the plugin's admin API (server/src/controllers/jobs.ts), as the Jobs page reads them. */

export type { JobRow, JobState };

export type JobsSummary = {
  names: string[];
  states: JobState[];
  counts: { name: string; state: JobState; count: number }[];
};

export type JobFilters = { name?: string; state?: JobState };

/** Rows per "Load more". */
export const PAGE_SIZE = 50;
/** The most rows one request returns (the list route's `limit` maximum). */
export const MAX_PAGE_SIZE = 200;

export const adminApi = {
  summary: () => `/${PLUGIN_ID}/jobs/summary`,
  list: ({ name, state }: JobFilters, { beforeId, limit }: { beforeId?: number; limit: number }) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (name) query.set('name', name);
    if (state) query.set('state', state);
    if (beforeId) query.set('beforeId', String(beforeId));
    return `/${PLUGIN_ID}/jobs?${query}`;
  },
  retry: (id: number) => `/${PLUGIN_ID}/jobs/${id}/retry`,
};

/** A job a person may send back to the queue. */
export const isRetryable = (job: Pick<JobRow, 'state'>) => job.state === 'failed' || job.state === 'dead';

export type { BackupsOverview, BackUpNowResult, BackupDownload, BackupSummary, BackupHealth } from '../../shared/contracts/backups';

export const backupsApi = {
  overview: () => `/${PLUGIN_ID}/backups`,
  create: () => `/${PLUGIN_ID}/backups`,
  download: (id: string) => `/${PLUGIN_ID}/backups/${encodeURIComponent(id)}/download`,
};

export type { ListTokensResponse, RotateTokenResponse, SetBudgetResponse, TokenUsage } from '../../shared/contracts/tokens';
export { OVERLAP_HOURS, PER_MINUTE_MAX } from '../../shared/contracts/tokens';

export const tokensApi = {
  list: () => `/${PLUGIN_ID}/tokens`,
  budget: (id: number) => `/${PLUGIN_ID}/tokens/${id}/budget`,
  rotate: (id: number) => `/${PLUGIN_ID}/tokens/${id}/rotate`,
};
