import type { ArtistCard } from './artists';
import type { Language, RoundState } from './common';

export interface BallotEntry {
  code: string;
  order: number;
  artist: ArtistCard | null;
}

/** What a voting link is for: the event, the open round, its lineup and the fan's language. */
export interface Ballot {
  event: { slug: string; title: string };
  round: { number: number; title: string | null; state: RoundState; closes_at: string | null };
  entries: BallotEntry[];
  fan: { locale: Language };
}

/**
 * GET /api/sms-voting/tokens/:token — 200; 404 unknown token; 409 used; 410 round (or event) no
 * longer open; 429 rate limited.
 */
export declare namespace GetBallot {
  interface Request {
    params: { token: string };
  }
  interface Response {
    data: Ballot;
  }
}
