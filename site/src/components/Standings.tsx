/**
 * Standings of one round: rank, artist, votes and share, with a bar. Rendered statically on recaps
 * and inside the live leaderboard island. The bars are SVG attributes, not inline styles, so the
 * strict Content-Security-Policy (no inline styles) holds.
 */
import { formatPercent, plural, type Locale } from '../i18n/format';
import { rankEntries } from '../lib/ranking';
import { initialsOf, resolveMediaUrl } from '../lib/media';
import { entryName, type Standings as StandingsData } from '../lib/vote-types';

export interface StandingsProps {
  locale: Locale;
  entries: StandingsData['entries'];
  totalVotes: number;
  /** Strings `live.*` (votes, rank, artist, share, act) and `recap.winner`, `recap.tie`. */
  strings: Record<string, string>;
  /** Prefix of artist pages in this locale, e.g. "/es/artists/". */
  artistBase: string;
  /** Marks the top entry (or entries, on a tie) as the winner. */
  showWinner?: boolean;
  /** The CMS's public origin: with it, each entry shows the artist's photo (initials without one). */
  mediaBase?: string;
}

export default function Standings({ locale, entries, totalVotes, strings, artistBase, showWinner = false, mediaBase }: StandingsProps) {
  const ranked = rankEntries(entries);
  const top = ranked.filter((e) => e.rank === 1 && e.votes > 0);
  const winnerLabel = top.length > 1 ? strings['recap.tie'] : strings['recap.winner'];
  return (
    <ol className={mediaBase === undefined ? 'standings' : 'standings standings-pictured'}>
      {ranked.map((entry) => {
        const share = totalVotes > 0 ? entry.votes / totalVotes : 0;
        const isTop = entry.rank === 1 && entry.votes > 0;
        return (
          <li key={entry.code} className={isTop ? 'standing standing-top' : 'standing'}>
            <span className="standing-rank">
              {entry.votes > 0 ? (
                <>
                  <span className="visually-hidden">{strings['live.rank']} </span>
                  {entry.rank}
                </>
              ) : (
                <span aria-hidden="true">–</span>
              )}
            </span>
            {mediaBase !== undefined && <EntryPhoto entry={entry} mediaBase={mediaBase} actLabel={strings['live.act'] ?? '{code}'} />}
            <span className="standing-main">
              {entry.artist ? (
                <a className="standing-name" href={`${artistBase}${encodeURIComponent(entry.artist.slug)}`}>
                  {entry.artist.name}
                </a>
              ) : (
                // An artist not published (yet): the entry by its code, with nothing to link to.
                <span className="standing-name">{entryName(entry, strings['live.act'] ?? '{code}')}</span>
              )}
              {showWinner && isTop && <span className="badge badge-winner">{winnerLabel}</span>}
              <svg className="standing-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect className="standing-bar-track" width="100" height="6" rx="3" />
                <rect className="standing-bar-fill" width={Math.max(0, Math.min(100, share * 100))} height="6" rx="3" />
              </svg>
            </span>
            <span className="standing-votes">
              {plural(locale, strings, 'live.votes', entry.votes)}
              <span className="standing-share"> · {formatPercent(locale, share)}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** The artist's photo, named by the artist; their initials (or the code) when there is none. */
function EntryPhoto({ entry, mediaBase, actLabel }: { entry: StandingsData['entries'][number]; mediaBase: string; actLabel: string }) {
  const src = resolveMediaUrl(entry.artist?.avatar?.url, mediaBase);
  const name = entryName(entry, actLabel);
  if (src) {
    const alt = entry.artist?.avatar?.alternativeText?.trim() || name;
    return <img className="standing-photo" src={src} alt={alt} width={48} height={48} loading="lazy" decoding="async" />;
  }
  return (
    <span className="standing-photo standing-initials" aria-hidden="true">
      {entry.artist ? initialsOf(entry.artist.name) : entry.code}
    </span>
  );
}
