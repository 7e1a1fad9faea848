import type { ArtistCard } from './artists';
import type { RoundState } from './common';

export interface StandingsEntry {
  artist: ArtistCard | null;
  code: string;
  votes: number;
}

/** A round's standings, most votes first (ties in lineup order). */
export interface Standings {
  event: { slug: string; title: string };
  /** Null before any round has opened. */
  round: { number: number; title: string | null; state: RoundState } | null;
  entries: StandingsEntry[];
  totalVotes: number;
  updatedAt: string;
}

/**
 * GET /api/sms-voting/events/:slug/leaderboard[?round=<n>&locale=es] — 200; 400 a round that is not
 * a positive integer; 404 no public leaderboard (private, after_close before the end, unknown event)
 * or a round that has not opened; 429 rate limited.
 */
export declare namespace GetLeaderboard {
  interface Request {
    params: { slug: string };
    query: { round?: string; locale?: string };
  }
  interface Response {
    data: Standings;
  }
}

/**
 * GET /api/sms-voting/events/:slug/leaderboard/stream — server-sent events: `event: standings`
 * with `data:` a `Standings` (on connect and within a second of every vote), `: ping` comments
 * every 15 s. 404 as the leaderboard; 429 with Retry-After past the stream caps.
 */
export declare namespace LeaderboardStream {
  interface StandingsEvent {
    event: 'standings';
    data: Standings;
  }
  type Event = StandingsEvent;
}

export const STANDINGS_EVENT = 'standings' satisfies LeaderboardStream.Event['event'];
