/**
 * Shapes shared by the server and the browser islands for voting and standings (types only, plus
 * the list of problems a fan can meet). Mirrors the sms-voting plugin's public contract.
 */

export interface BallotEntry {
  code: string;
  order?: number | null;
  artist: { name: string; slug: string; avatar?: { url: string; alternativeText?: string | null } | null };
}

/** `GET /api/sms-voting/tokens/:token` → data. */
export interface Ballot {
  event: { slug: string; title: string; locale?: string };
  round: { number: number; title: string | null; state: string; closes_at: string | null };
  entries: BallotEntry[];
  fan?: { locale?: string };
}

/** `POST /api/sms-voting/votes` → data. */
export interface VoteReceipt {
  round: { number: number };
  choice: { code: string; artist: { name: string } };
  createdAt: string;
}

/** `GET /api/sms-voting/events/:slug/leaderboard` → data, and each `standings` SSE message. */
export interface Standings {
  event: { slug: string; title: string };
  round: { number: number; title: string | null; state: string } | null;
  entries: { artist: { name: string; slug: string }; code: string; votes: number }[];
  totalVotes: number;
  updatedAt: string;
}

/**
 * Why a fan could not vote. Each has a message `vote.error.<problem>` in both languages.
 * `offline` is only ever detected in the browser (the request never left the phone).
 */
export const VOTE_PROBLEMS = ['unknown', 'used', 'expired', 'closed', 'choice', 'rateLimited', 'unavailable', 'offline'] as const;
export type VoteProblem = (typeof VOTE_PROBLEMS)[number];

/** The site's own `POST /api/votes` answer, which the vote island reads. */
export type CastVoteAnswer = { ok: true; receipt: VoteReceipt } | { ok: false; problem: VoteProblem };

/** Problems worth a "Try again" button: nothing about the link or the choice is wrong. */
export function isRetryable(problem: VoteProblem): boolean {
  return problem === 'offline' || problem === 'unavailable' || problem === 'rateLimited';
}
