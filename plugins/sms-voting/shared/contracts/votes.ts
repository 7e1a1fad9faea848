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

/** The most votes the site sends in one batch. */
export const VOTE_BATCH_MAX = 100;

/** What one vote of a batch came to: its receipt, or the error its own request would have had. */
export type BatchedVoteOutcome =
  | { status: 201; data: VoteReceipt }
  | { status: number; error: { status: number; name: string; message: string; details?: unknown }; retryAfter?: number };

/**
 * POST /api/sms-voting/votes/batch — the site's votes for many fans in one request (the site's
 * token only): 200 with each vote's outcome, in order, as `POST /votes` would answer it alone.
 */
export declare namespace CastWebVoteBatch {
  interface Request {
    body: { votes: { token: string; choice: string; address: string }[] };
  }
  interface Response {
    data: BatchedVoteOutcome[];
  }
}
