import type { ArtistCard } from './artists';

/** The recorded choice: the entry's code and, when published, its artist. */
export interface VoteReceipt {
  round: { number: number };
  choice: { code: string; artist: ArtistCard | null };
  createdAt: string;
}

/**
 * POST /api/sms-voting/votes — 201 recorded; 400 malformed or unknown choice; 404 unknown token;
 * 409 token used or fan already voted this round; 410 round not open; 429 rate limited.
 */
export declare namespace CastWebVote {
  interface Request {
    body: { token: string; choice: string };
  }
  interface Response {
    data: VoteReceipt;
  }
}
