import type { EventPhase, ResultsVisibility, RoundState } from './common';
import type { Standings } from './leaderboards';

/** The admin's live pages (signed-in admins with `plugin::sms-voting.manage`), under `/sms-voting`. */

export type SuspiciousKind = 'join_burst_prefix' | 'vote_burst_ip';

export interface EventListItem {
  documentId: string;
  title: string;
  slug: string;
  phase: EventPhase;
  keyword: string | null;
  capacity: number | null;
  startsAt: string | null;
}

/**
 * Messages per outbox status, plus `skipped`: fans not texted because they had opted out.
 * `suppressed` opted out after their message was queued; `unknown` may have been delivered (the
 * provider cannot say). `job` is the notification job itself, once it exists.
 */
export interface RoundNotifications {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  unknown: number;
  skipped: number;
  job: { state: string; lastError: string | null } | null;
}

export interface DashboardRound {
  documentId: string;
  number: number;
  title: string | null;
  state: RoundState;
  opensAt: string | null;
  closesAt: string | null;
  votes: number;
  /** The big-screen view pinned to this round; null while the round is pending (nothing to show). */
  screenUrl: string | null;
  /** Where the round's "voting is open" texts are; null while the round is pending. */
  notifications: RoundNotifications | null;
}

export interface SuspiciousActivity {
  id: number;
  kind: SuspiciousKind;
  subject: string;
  eventRef: string | null;
  count: number;
  windowStartedAt: string;
  reviewed: boolean;
}

export interface EventDashboard {
  event: {
    documentId: string;
    slug: string;
    title: string;
    phase: EventPhase;
    keyword: string | null;
    startsAt: string | null;
    capacity: number | null;
    resultsVisibility: ResultsVisibility;
    /** The site's big-screen view of the event, following the current round. */
    screenUrl: string;
  };
  attendance: number;
  rounds: DashboardRound[];
  /** The current round's (the open one, else the last closed one). */
  standings: Standings;
  suspicious: SuspiciousActivity[];
}

/** GET /sms-voting/events */
export declare namespace ListEvents {
  interface Response {
    data: EventListItem[];
  }
}

/** GET /sms-voting/events/:documentId — 404 for an event that is not published. */
export declare namespace GetEventDashboard {
  interface Request {
    params: { documentId: string };
  }
  interface Response {
    data: EventDashboard;
  }
}

/** POST /sms-voting/rounds/:documentId/open — 404 unknown round; 400 a round that is not pending. */
export declare namespace OpenRound {
  interface Request {
    params: { documentId: string };
  }
  interface Response {
    data: { opened: true };
  }
}

/** POST /sms-voting/rounds/:documentId/close — 404 unknown round; 400 a round that is not open. */
export declare namespace CloseRound {
  interface Request {
    params: { documentId: string };
  }
  interface Response {
    data: { closed: true };
  }
}

/** POST /sms-voting/rounds/:documentId/resend — 404 unknown round; 400 a round that is not open. */
export declare namespace ResendRound {
  interface Request {
    params: { documentId: string };
  }
  interface Response {
    data: { queued: true };
  }
}

/** POST /sms-voting/suspicious/:id/review — 404 unknown record. */
export declare namespace ReviewSuspicious {
  interface Request {
    params: { id: string };
  }
  interface Response {
    data: { reviewed: true };
  }
}

/** The admin API's paths, relative to the admin's base URL. */
export const ADMIN_API = {
  events: () => '/sms-voting/events',
  event: (documentId: string) => `/sms-voting/events/${encodeURIComponent(documentId)}`,
  openRound: (documentId: string) => `/sms-voting/rounds/${encodeURIComponent(documentId)}/open`,
  closeRound: (documentId: string) => `/sms-voting/rounds/${encodeURIComponent(documentId)}/close`,
  resendRound: (documentId: string) => `/sms-voting/rounds/${encodeURIComponent(documentId)}/resend`,
  review: (id: number) => `/sms-voting/suspicious/${id}/review`,
};
