/**
 * The fan page, one fan's export and erasure, and the bulk exports: the shapes the server's
 * controllers `satisfy` and the admin pages import.
 */
import type { Channel, Language } from './crm';

/** A fan as the fan page shows one: the number and the address masked (`+12***89`, `a***@example.com`). */
/** A fan's tags (`PUT /crm/fans/:id/tags`), and what a segment's tag rule names: at most this many, each at most this long. */
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 60;

export type FanSummary = {
  id: number;
  documentId: string;
  phone: string | null;
  email: string | null;
  language: Language;
  country: string | null;
  tags: string[];
  firstSeen: string | null;
};
export type ConsentView = { channel: Channel; purpose: string; action: 'opt_in' | 'opt_out'; source: string; evidence: unknown; occurredAt: string };
export type AttendanceView = { eventRef: string; eventTitle: string | null; eventSlug: string | null; source: string; joinedAt: string | null };
export type VoteView = { eventRef: string; eventTitle: string | null; roundRef: string; roundNumber: number | null; entryRef: string; voteCode: string; channel: string; votedAt: string | null };
export type MessageView = {
  id: number;
  channel: Channel;
  purpose: string | null;
  topic: string | null;
  state: string;
  subject: string | null;
  body: string;
  error: string | null;
  sentAt: string | null;
  createdAt: string | null;
};
/** `GET /crm/fans/:id`: everything the fan page shows. */
export type FanProfile = { fan: FanSummary; consents: ConsentView[]; attendances: AttendanceView[]; votes: VoteView[]; messages: MessageView[] };
/** `GET /crm/fans?q=`: the fan with exactly this number or address (none or one). */
export type FanSearch = { fans: FanSummary[] };
/** `POST /crm/fans/:id/reveal`: the contact details in clear (audited). */
export type RevealedContact = { phone: string | null; email: string | null };
/** `GET /crm/fans/:id/export`: the fan's own data, contact details in clear (audited). */
export type FanExport = Omit<FanProfile, 'fan'> & { exportedAt: string; fan: Omit<FanSummary, 'phone' | 'email'> & RevealedContact };
/** `POST /crm/fans/:id/erase`: what was erased or made anonymous (audited). */
export type ErasureReport = { erased: string; votesAnonymised: number; attendancesAnonymised: number; messagesCleared: number; inboundCleared: number; consentRecordsRemoved: number };

export const EXPORT_KINDS = ['attendees', 'votes', 'messages'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'csv' | 'json';
