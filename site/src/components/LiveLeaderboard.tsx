/**
 * Island: the live leaderboard. Starts from the standings the server rendered, then follows the
 * site's server-sent-events stream (a message within a second of every vote). When the stream
 * fails or goes quiet it polls the JSON endpoint every few seconds until the stream is back.
 */
import { useEffect, useRef, useState } from 'react';
import { formatClock, interpolate, plural, type Locale } from '../i18n/format';
import { entryName, type Standings as StandingsData } from '../lib/vote-types';
import { leaders } from '../lib/ranking';
import Standings from './Standings';

type Connection = 'connecting' | 'live' | 'polling' | 'offline';

export interface LiveLeaderboardProps {
  locale: Locale;
  initial: StandingsData;
  /** Strings `live.*`, `event.round.*`, `recap.winner`, `recap.tie`. */
  strings: Record<string, string>;
  artistBase: string;
  /** The site's SSE endpoint and JSON endpoint for this event. */
  streamUrl: string;
  pollUrl: string;
  pollIntervalMs?: number;
  /** The stream sends `event: ping` every 15 s; this long without anything means it is stuck. */
  silenceMs?: number;
}

function leaderOf(standings: StandingsData): string | undefined {
  const top = leaders(standings.entries);
  // By vote code: every entry has one, an unpublished artist has no slug.
  return top.length === 1 ? top[0]!.code : undefined;
}

export default function LiveLeaderboard({
  locale,
  initial,
  strings,
  artistBase,
  streamUrl,
  pollUrl,
  pollIntervalMs = 3_000,
  silenceMs = 40_000,
}: LiveLeaderboardProps) {
  const [standings, setStandings] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [hidden, setHidden] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [mounted, setMounted] = useState(false);
  const leader = useRef(leaderOf(initial));

  useEffect(() => {
    setMounted(true);
    let source: EventSource | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const apply = (next: StandingsData) => {
      if (stopped || !next || !Array.isArray(next.entries)) return;
      setStandings(next);
      const nextLeader = leaderOf(next);
      if (nextLeader && nextLeader !== leader.current) {
        const entry = next.entries.find((e) => e.code === nextLeader)!;
        setAnnouncement(
          interpolate(strings['live.leader'] ?? '', {
            artist: entryName(entry, strings['live.act'] ?? '{code}'),
            votes: plural(locale, strings, 'live.votes', entry.votes),
          }),
        );
      }
      leader.current = nextLeader;
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
        if (res.status === 404) {
          setHidden(true);
          stopAll();
          return;
        }
        if (!res.ok) throw new Error(String(res.status));
        apply(((await res.json()) as { data: StandingsData }).data);
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
          apply(JSON.parse((event as MessageEvent<string>).data) as StandingsData);
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
          reconnectTimer = setTimeout(connect, 5_000);
        }
      };
    };

    connect();
    return stopAll;
  }, [streamUrl, pollUrl, pollIntervalMs, silenceMs, locale, strings]);

  if (hidden) {
    return <p className="notice">{strings['live.hidden.private']}</p>;
  }

  const round = standings.round;
  const roundLabel = round
    ? interpolate(strings[round.title ? 'event.round.labelTitled' : 'event.round.label'] ?? '', {
        number: round.number,
        title: round.title ?? '',
      })
    : '';

  return (
    <section className="live" aria-labelledby="standings-heading">
      <div className="live-head">
        <h2 id="standings-heading">
          {round ? interpolate(strings['live.round'] ?? '', { round: roundLabel }) : strings['live.noRound']}
        </h2>
        <span className={`live-pill live-pill-${connection}`}>{strings[`live.status.${connection}`]}</span>
      </div>
      {round && (
        <>
          <Standings
            locale={locale}
            entries={standings.entries}
            totalVotes={standings.totalVotes}
            strings={strings}
            artistBase={artistBase}
          />
          {standings.totalVotes === 0 && <p>{strings['live.empty']}</p>}
          <p className="meta live-foot">
            <span data-testid="total-votes">{plural(locale, strings, 'live.total', standings.totalVotes)}</span>
            {mounted && standings.updatedAt && (
              <>
                {' · '}
                <time dateTime={standings.updatedAt}>
                  {interpolate(strings['live.updated'] ?? '', { time: formatClock(locale, new Date(standings.updatedAt)) })}
                </time>
              </>
            )}
          </p>
        </>
      )}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </section>
  );
}
