/**
 * Island: the live part of the venue's big screen. The current round (or the pinned one), a bar per
 * act with its photo (initials without one) that grows as votes arrive, the total, and the winner
 * once the round closes. Follows the live standings by itself (src/lib/standings-feed.ts) and shows a
 * discreet "reconnecting" while the stream is down. Bars are SVG attributes (the CSP allows no inline
 * styles); the CSS animates their width.
 */
import { interpolate, plural, type Locale } from '../i18n/format';
import { initialsOf, resolveMediaUrl } from '../lib/media';
import { leaders, rankEntries } from '../lib/ranking';
import { useStandingsFeed } from '../lib/standings-feed';
import { entryName, type Standings } from '../lib/vote-types';

export interface BigScreenProps {
  locale: Locale;
  initial: Standings | null;
  /** Strings `screen.*`, `live.*` and `event.round.*`. */
  strings: Record<string, string>;
  /** The site's SSE endpoint and JSON endpoint for this event (the latter with `?round=` when pinned). */
  streamUrl: string;
  pollUrl: string;
  /** The round this screen is pinned to, if any. */
  round?: number;
  /** The CMS's public origin, for pictures under /uploads. */
  cmsPublicUrl: string;
  /** What to say when the results are not public. */
  hiddenMessage: string;
  pollIntervalMs?: number;
  silenceMs?: number;
}

export default function BigScreen(props: BigScreenProps) {
  const { locale, initial, strings, round: pinned } = props;
  const { standings, connection, hidden } = useStandingsFeed({
    initial,
    streamUrl: props.streamUrl,
    pollUrl: props.pollUrl,
    pollIntervalMs: props.pollIntervalMs,
    silenceMs: props.silenceMs,
    accepts: pinned === undefined ? undefined : (s) => s.round?.number === pinned,
    hiddenOn404: pinned === undefined,
  });
  const text = (key: string, params: Record<string, string | number> = {}) => interpolate(strings[key] ?? '', params);
  const reconnecting = connection === 'polling' || connection === 'offline';

  if (hidden) {
    return (
      <div className="screen-live">
        <p className="screen-notice">{props.hiddenMessage}</p>
      </div>
    );
  }

  const round = standings?.round ?? null;
  const roundLabel = (r: { number: number; title: string | null }) =>
    text(r.title ? 'event.round.labelTitled' : 'event.round.label', { number: r.number, title: r.title ?? '' });

  if (!standings || !round) {
    const waiting = pinned !== undefined ? text('screen.waiting', { round: text('event.round.label', { number: pinned }) }) : strings['live.noRound'];
    return (
      <div className="screen-live">
        <p className="screen-notice">{waiting}</p>
        <Status reconnecting={reconnecting} label={strings['screen.reconnecting']} />
      </div>
    );
  }

  const ranked = rankEntries(standings.entries);
  const top = round.state === 'closed' ? leaders(standings.entries) : [];
  const actName = (entry: Standings['entries'][number]) => entryName(entry, strings['live.act'] ?? '{code}');
  const winner =
    top.length === 1
      ? text('screen.winner', { artist: actName(top[0]!) })
      : top.length > 1
        ? text('screen.tie', { artists: top.map(actName).join(' · ') })
        : undefined;

  return (
    <div className="screen-live" data-connection={connection}>
      <div className="screen-round">
        <h2 className="screen-round-name" data-testid="screen-round">
          {roundLabel(round)}
        </h2>
        <p className={`screen-round-state screen-round-${round.state}`}>
          {round.state === 'closed' ? strings['screen.closed'] : strings['screen.open']}
        </p>
      </div>
      {winner && (
        <p className="screen-winner" data-testid="screen-winner">
          {winner}
        </p>
      )}
      <ol className="screen-bars">
        {ranked.map((entry) => {
          const share = standings.totalVotes > 0 ? entry.votes / standings.totalVotes : 0;
          const name = actName(entry);
          const photo = resolveMediaUrl(entry.artist?.avatar?.url, props.cmsPublicUrl);
          const isWinner = top.some((t) => t.code === entry.code);
          return (
            <li key={entry.code} className={isWinner ? 'screen-bar screen-bar-winner' : 'screen-bar'} data-code={entry.code}>
              {photo ? (
                <img className="screen-photo" src={photo} alt={text('screen.photo', { artist: name })} width={160} height={160} decoding="async" />
              ) : (
                <span className="screen-photo screen-initials" aria-hidden="true">
                  {initialsOf(name) || entry.code}
                </span>
              )}
              <span className="screen-bar-name">{name}</span>
              <svg className="screen-bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect className="screen-bar-fill" width={Math.max(0, Math.min(100, share * 100))} height="10" rx="1" />
              </svg>
              <span className="screen-bar-votes" data-testid="screen-votes">
                {plural(locale, strings, 'live.votes', entry.votes)}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="screen-total" data-testid="screen-total">
        {plural(locale, strings, 'live.total', standings.totalVotes)}
      </p>
      <Status reconnecting={reconnecting} label={strings['screen.reconnecting']} />
    </div>
  );
}

/** Small and in a corner: the room should not notice a reconnection, the technician should. */
function Status({ reconnecting, label }: { reconnecting: boolean; label?: string }) {
  return (
    <p className="screen-status" role="status" data-testid="screen-status">
      {reconnecting ? label : ''}
    </p>
  );
}
