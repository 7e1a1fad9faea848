/**
 * Island: the live leaderboard. Starts from the standings the server rendered, then follows them
 * live (src/lib/standings-feed.ts: the event stream, polling while it is down) and announces a new
 * leader to screen readers.
 */
import { useEffect, useRef, useState } from 'react';
import { formatClock, interpolate, plural, type Locale } from '../i18n/format';
import { entryName, type Standings as StandingsData } from '../lib/vote-types';
import { leaders } from '../lib/ranking';
import { useStandingsFeed } from '../lib/standings-feed';
import Standings from './Standings';

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
  /** The CMS's public origin, for the artists' photos. */
  mediaBase?: string;
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
  pollIntervalMs,
  silenceMs,
  mediaBase,
}: LiveLeaderboardProps) {
  const feed = useStandingsFeed({ initial, streamUrl, pollUrl, pollIntervalMs, silenceMs });
  const standings = feed.standings ?? initial;
  const { connection, hidden } = feed;
  const [announcement, setAnnouncement] = useState('');
  const [mounted, setMounted] = useState(false);
  const leader = useRef(leaderOf(initial));

  useEffect(() => setMounted(true), []);

  useEffect(() => {
    const nextLeader = leaderOf(standings);
    if (nextLeader && nextLeader !== leader.current) {
      const entry = standings.entries.find((e) => e.code === nextLeader)!;
      setAnnouncement(
        interpolate(strings['live.leader'] ?? '', {
          artist: entryName(entry, strings['live.act'] ?? '{code}'),
          votes: plural(locale, strings, 'live.votes', entry.votes),
        }),
      );
    }
    leader.current = nextLeader;
  }, [standings, locale, strings]);

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
            mediaBase={mediaBase}
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
