/**
 * The live standings of an event in the browser, shared by the live leaderboard and the venue's big
 * screen: starts from what the server rendered, follows the site's server-sent-events stream (a
 * message within a second of every vote, and of every round opening or closing), and when the stream
 * fails or goes quiet polls the JSON endpoint every few seconds until the stream is back. Screens run
 * for hours, so everything it starts is stopped on unmount and nothing accumulates per message.
 */
import { useEffect, useState } from 'react';
import type { Standings } from './vote-types';

export type Connection = 'connecting' | 'live' | 'polling' | 'offline';

export interface StandingsFeedOptions {
  initial: Standings | null;
  /** The site's SSE endpoint and JSON endpoint for this event. */
  streamUrl: string;
  pollUrl: string;
  pollIntervalMs?: number;
  /** The stream sends `event: ping` every 15 s; this long without anything means it is stuck. */
  silenceMs?: number;
  /** How long to wait before reopening a stream the browser gave up on. */
  reconnectMs?: number;
  /**
   * Standings from the stream that this view shows (default: all). A screen pinned to a round
   * ignores the others; the stream still proves the connection is alive.
   */
  accepts?: (standings: Standings) => boolean;
  /** Whether a 404 from the JSON endpoint means "results are not public" (default) rather than "not yet". */
  hiddenOn404?: boolean;
}

export interface StandingsFeed {
  standings: Standings | null;
  connection: Connection;
  /** The event's results are not public: nothing more will come. */
  hidden: boolean;
}

export function useStandingsFeed({
  initial,
  streamUrl,
  pollUrl,
  pollIntervalMs = 3_000,
  silenceMs = 40_000,
  reconnectMs = 5_000,
  accepts,
  hiddenOn404 = true,
}: StandingsFeedOptions): StandingsFeed {
  const [standings, setStandings] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [hidden, setHidden] = useState(false);

  useEffect(() => {
    let source: EventSource | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const apply = (next: Standings | null | undefined) => {
      if (stopped || !next || !Array.isArray(next.entries)) return;
      if (accepts && !accepts(next)) return;
      setStandings(next);
    };

    const stopAll = () => {
      stopped = true;
      source?.close();
      clearInterval(pollTimer);
      clearTimeout(silenceTimer);
      clearTimeout(reconnectTimer);
    };

    const poll = async () => {
      try {
        const res = await fetch(pollUrl, { headers: { accept: 'application/json' }, cache: 'no-store' });
        if (res.status === 404 && hiddenOn404) {
          setHidden(true);
          stopAll();
          return;
        }
        if (res.status !== 404 && !res.ok) throw new Error(String(res.status));
        if (res.ok) apply(((await res.json()) as { data: Standings }).data);
        else await res.body?.cancel();
        if (!stopped && pollTimer) setConnection('polling');
      } catch {
        if (!stopped) setConnection('offline');
      }
    };

    const startPolling = () => {
      if (stopped || pollTimer) return;
      setConnection((c) => (c === 'offline' ? c : 'polling'));
      pollTimer = setInterval(poll, pollIntervalMs);
      void poll();
    };

    const stopPolling = () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };

    const watchSilence = () => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => {
        source?.close();
        startPolling();
        connect();
      }, silenceMs);
    };

    const connect = () => {
      if (stopped) return;
      if (typeof EventSource === 'undefined') {
        startPolling();
        return;
      }
      const es = new EventSource(streamUrl);
      source = es;
      es.onopen = watchSilence;
      es.addEventListener('ping', watchSilence);
      es.addEventListener('standings', (event) => {
        watchSilence();
        try {
          apply(JSON.parse((event as MessageEvent<string>).data) as Standings);
        } catch {
          return;
        }
        stopPolling();
        setConnection('live');
      });
      es.addEventListener('hidden', () => {
        setHidden(true);
        stopAll();
      });
      es.addEventListener('unavailable', startPolling);
      es.onerror = () => {
        startPolling();
        // The browser retries a dropped stream by itself; one it gave up on is reopened here.
        if (es.readyState === EventSource.CLOSED) {
          clearTimeout(reconnectTimer);
          reconnectTimer = setTimeout(connect, reconnectMs);
        }
      };
    };

    connect();
    return stopAll;
    // `accepts` is read when a message arrives; a new function each render must not reopen the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streamUrl, pollUrl, pollIntervalMs, silenceMs, reconnectMs, hiddenOn404]);

  return { standings, connection, hidden };
}
