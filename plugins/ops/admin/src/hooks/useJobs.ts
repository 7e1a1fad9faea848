import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { adminApi, MAX_PAGE_SIZE, PAGE_SIZE, type JobFilters, type JobRow, type JobsSummary } from '../api';
import { usePollWhileVisible } from './usePollWhileVisible';

/** How often the Jobs page asks for fresh rows while it is visible. */
export const POLL_INTERVAL_MS = 3000;

export type JobsState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  // `jobs` is null while the rows for new filters load; `stale` means the last refresh failed.
  | { status: 'ready'; summary: JobsSummary; jobs: JobRow[] | null; exhausted: boolean; updatedAt: Date; stale: boolean };

/** Appends older rows to `jobs`, skipping any already shown (a refresh may have moved the window meanwhile). */
const appendOlder = (jobs: JobRow[], older: JobRow[]) => {
  const oldest = jobs.length ? jobs[jobs.length - 1].id : Infinity;
  return [...jobs, ...older.filter((job) => job.id < oldest)];
};

/**
 * The counts per job and state, and the newest jobs matching `filters`, refreshed every three
 * seconds while the tab is visible. A refresh reloads the rows shown (up to the list's page maximum)
 * and keeps older rows loaded with "Load more" below them, so the list never jumps or loses its place.
 */
export const useJobs = ({ name, state: jobState }: JobFilters) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<JobsState>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = React.useState(false);
  const shown = React.useRef<JobRow[]>([]);
  const latestRequest = React.useRef(0);
  // Bumped when the filters change, so an answer for the previous filters is dropped.
  const generation = React.useRef(0);

  React.useEffect(() => {
    shown.current = state.status === 'ready' ? (state.jobs ?? []) : [];
  }, [state]);

  const load = React.useCallback(async () => {
    const request = ++latestRequest.current;
    const limit = Math.min(Math.max(shown.current.length, PAGE_SIZE), MAX_PAGE_SIZE);
    try {
      const [summary, list] = await Promise.all([
        get<{ data: JobsSummary }>(adminApi.summary()),
        get<{ data: JobRow[] }>(adminApi.list({ name, state: jobState }, { limit })),
      ]);
      if (request !== latestRequest.current) return;
      const head = list.data.data;
      setState((previous) => {
        const before = previous.status === 'ready' && previous.jobs ? previous : undefined;
        const common = { status: 'ready', summary: summary.data.data, updatedAt: new Date(), stale: false } as const;
        if (head.length < limit) return { ...common, jobs: head, exhausted: true };
        const jobs = appendOlder(head, before?.jobs ?? []);
        return { ...common, jobs, exhausted: jobs.length > head.length ? Boolean(before?.exhausted) : false };
      });
    } catch (error) {
      if (request !== latestRequest.current) return;
      setState((previous) => (previous.status === 'ready' ? { ...previous, stale: true } : { status: 'error', error }));
    }
  }, [get, name, jobState]);

  const loadMore = React.useCallback(async () => {
    const jobs = shown.current;
    if (jobs.length === 0) return;
    const started = generation.current;
    setLoadingMore(true);
    try {
      const { data } = await get<{ data: JobRow[] }>(adminApi.list({ name, state: jobState }, { beforeId: jobs[jobs.length - 1].id, limit: PAGE_SIZE }));
      if (started !== generation.current) return;
      const page = data.data;
      setState((previous) =>
        previous.status === 'ready' && previous.jobs
          ? { ...previous, jobs: appendOlder(previous.jobs, page), exhausted: page.length < PAGE_SIZE }
          : previous
      );
    } catch {
      setState((previous) => (previous.status === 'ready' ? { ...previous, stale: true } : previous));
    } finally {
      setLoadingMore(false);
    }
  }, [get, name, jobState]);

  // A new filter shows a fresh list (older pages are not kept), then polls it.
  React.useEffect(() => {
    generation.current += 1;
    shown.current = [];
    setState((previous) => (previous.status === 'ready' ? { ...previous, jobs: null, exhausted: false } : previous));
  }, [name, jobState]);
  usePollWhileVisible(load, POLL_INTERVAL_MS);

  return { state, loadingMore, loadMore, refresh: load };
};
