import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { auditApi, type AuditEntry, type EntryFilters, type ListEntriesResponse } from '../api';

export type EntriesState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; entries: AuditEntry[]; nextCursor: string | null };

/**
 * The newest entries matching `filters`, and older ones page by page ("Load more", by the cursor the
 * last page gave). Entries are never rewritten, so the pages shown stay true; Refresh starts over.
 */
export const useEntries = (filters: EntryFilters) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<EntriesState>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = React.useState(false);
  const [moreFailed, setMoreFailed] = React.useState(false);
  // Bumped by every fresh load, so an answer for earlier filters is dropped.
  const generation = React.useRef(0);

  const refresh = React.useCallback(async () => {
    const started = ++generation.current;
    setState({ status: 'loading' });
    setMoreFailed(false);
    try {
      const { data } = await get<ListEntriesResponse>(auditApi.entries(filters));
      if (started === generation.current) setState({ status: 'ready', entries: data.data, nextCursor: data.meta.nextCursor });
    } catch (error) {
      if (started === generation.current) setState({ status: 'error', error });
    }
  }, [get, filters]);

  const loadMore = React.useCallback(async () => {
    if (state.status !== 'ready' || !state.nextCursor) return;
    const started = generation.current;
    setLoadingMore(true);
    setMoreFailed(false);
    try {
      const { data } = await get<ListEntriesResponse>(auditApi.entries(filters, state.nextCursor));
      if (started !== generation.current) return;
      setState((previous) =>
        previous.status === 'ready' ? { status: 'ready', entries: [...previous.entries, ...data.data], nextCursor: data.meta.nextCursor } : previous
      );
    } catch {
      if (started === generation.current) setMoreFailed(true);
    } finally {
      setLoadingMore(false);
    }
  }, [get, filters, state]);

  React.useEffect(() => {
    void refresh();
  }, [refresh]);

  return { state, loadingMore, moreFailed, loadMore, refresh };
};
