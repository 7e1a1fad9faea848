import { PLUGIN_ID } from './plugin-id';

/** Shapes of the plugin's admin API (server/src/controllers/admin.ts), as the pages read them. */

export type EventPhase = 'draft' | 'scheduled' | 'live' | 'closed' | 'archived';
export type RoundState = 'pending' | 'open' | 'closed';
export type SuspiciousKind = 'join_burst_prefix' | 'vote_burst_ip';

export type EventListItem = {
  documentId: string;
  title: string;
  slug: string;
  phase: EventPhase;
  keyword: string | null;
  capacity: number | null;
  startsAt: string | null;
};

export type Round = {
  documentId: string;
  number: number;
  title: string | null;
  state: RoundState;
  opensAt: string | null;
  closesAt: string | null;
  votes: number;
  /** Where the round's "voting is open" texts are; null while the round is pending. */
  notifications: RoundNotifications | null;
};

/**
 * Messages per outbox status, plus `skipped`: fans not texted because they had opted out.
 * `suppressed` opted out after their message was queued; `unknown` may have been delivered (the
 * provider cannot say). `job` is the notification job itself, once it exists.
 */
export type RoundNotifications = {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  unknown: number;
  skipped: number;
  job: { state: string; lastError: string | null } | null;
};

export type StandingsEntry = {
  artist: { name: string; slug: string } | null;
  code: string;
  votes: number;
};

export type Standings = {
  event: { slug: string; title: string };
  round: { number: number; title: string | null; state: RoundState } | null;
  entries: StandingsEntry[];
  totalVotes: number;
  updatedAt: string;
};

export type SuspiciousActivity = {
  id: number;
  kind: SuspiciousKind;
  subject: string;
  eventRef: string | null;
  count: number;
  windowStartedAt: string;
  reviewed: boolean;
};

export type EventDashboard = {
  event: {
    documentId: string;
    slug: string;
    title: string;
    phase: EventPhase;
    keyword: string | null;
    startsAt: string | null;
    capacity: number | null;
    resultsVisibility: 'public' | 'after_close' | 'private';
  };
  attendance: number;
  rounds: Round[];
  standings: Standings;
  suspicious: SuspiciousActivity[];
};

export const adminApi = {
  events: () => `/${PLUGIN_ID}/events`,
  event: (documentId: string) => `/${PLUGIN_ID}/events/${encodeURIComponent(documentId)}`,
  openRound: (documentId: string) => `/${PLUGIN_ID}/rounds/${encodeURIComponent(documentId)}/open`,
  closeRound: (documentId: string) => `/${PLUGIN_ID}/rounds/${encodeURIComponent(documentId)}/close`,
  resendRound: (documentId: string) => `/${PLUGIN_ID}/rounds/${encodeURIComponent(documentId)}/resend`,
  review: (id: number) => `/${PLUGIN_ID}/suspicious/${id}/review`,
};
