import type { RoundState } from './common';

/** An event's voting in numbers, for partners: counts only, nothing about any fan. */
export interface EventStats {
  event: { slug: string; titles: Record<string, string>; phase: string; startsAt: string | null };
  /** Fans who joined the event. */
  attendance: number;
  votes: number;
  rounds: {
    number: number;
    title: string | null;
    state: RoundState;
    opensAt: string | null;
    closesAt: string | null;
    votes: number;
    /** Every lineup entry, in lineup order; `artist` is null while the artist is unpublished. */
    entries: { code: string; artist: { slug: string; name: string } | null; votes: number }[];
  }[];
  /** Votes per minute (UTC, the minute's start), oldest first; minutes without votes are left out. */
  votesPerMinute: { minute: string; votes: number }[];
}

/**
 * GET /api/partner/v1/events/:slug/stats — for API tokens granted "Partner › stats": 200; 401 without
 * a token; 403 a token without the permission; 404 no published event with this slug; 429 past the
 * token's budget.
 */
export declare namespace GetEventStats {
  interface Request {
    params: { slug: string };
  }
  interface Response {
    data: EventStats;
  }
}
