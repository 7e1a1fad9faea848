import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import { adminApi, type EventDashboard } from '../api';

/** How often the live page asks for fresh numbers while it is visible. */
export const POLL_INTERVAL_MS = 2000;

export type DashboardState =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; error: unknown }
  // `stale` means the last refresh failed: the numbers shown are from `updatedAt`.
  | { status: 'ready'; dashboard: EventDashboard; updatedAt: Date; stale: boolean };

/**
 * An event's live numbers, refreshed every two seconds while the tab is visible and at once when
 * it becomes visible again. `refresh` lets an action show its effect without waiting for the next poll.
 */
export const useEventDashboard = (documentId: string) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<DashboardState>({ status: 'loading' });
  const latestRequest = React.useRef(0);

  /** Fetches the dashboard once; resolves to false when the event does not exist, so polling can stop. */
  const load = React.useCallback(async () => {
    const request = ++latestRequest.current;
    try {
      const { data } = await get<{ data: EventDashboard }>(adminApi.event(documentId));
      // A refresh started later (after an action) must not be overwritten by an older poll.
      if (request === latestRequest.current) {
        setState({ status: 'ready', dashboard: data.data, updatedAt: new Date(), stale: false });
      }
      return true;
    } catch (error) {
      const notFound = isFetchError(error) && error.status === 404;
      if (request === latestRequest.current) {
        setState((previous) => {
          if (notFound) return { status: 'not-found' };
          if (previous.status === 'ready') return { ...previous, stale: true };
          return { status: 'error', error };
        });
      }
      return !notFound;
    }
  }, [get, documentId]);

  const refresh = React.useCallback(async () => {
    await load();
  }, [load]);

  React.useEffect(() => {
    setState({ status: 'loading' });
    let timer: number | undefined;
    let running = false;
    let stopped = false;

    const schedule = () => {
      window.clearTimeout(timer);
      if (!stopped && !document.hidden) timer = window.setTimeout(tick, POLL_INTERVAL_MS);
    };
    const tick = async () => {
      if (running || stopped) return;
      running = true;
      const exists = await load();
      running = false;
      if (exists) schedule();
      else stopped = true;
    };
    const onVisibilityChange = () => (document.hidden ? window.clearTimeout(timer) : void tick());

    void tick();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [load]);

  return { state, refresh };
};
