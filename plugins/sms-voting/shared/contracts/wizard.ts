import type { EventListItem } from './admin';
import type { ResultsVisibility } from './common';

/**
 * The event wizard (admin, `plugin::sms-voting.manage`): one submission holds the event in English
 * and Spanish, its rounds and its lineup, and the server writes it in one transaction. Every 400
 * names the field in `error.details.errors[].path`, whose first element is the wizard's step:
 * `['details', 'keyword']`, `['rounds', '1', 'closesAt']`, `['lineup', '3', 'voteCode']` (indexes as
 * strings, as Strapi writes every path).
 */

export type WizardStep = 'details' | 'rounds' | 'lineup';
export type PrivacyMode = 'standard' | 'anonymous';

export interface Bilingual {
  en: string;
  es: string;
}

export interface WizardDetails {
  title: Bilingual;
  description: Bilingual;
  venue: string;
  city: string;
  /** An IANA time zone ("Europe/Madrid"); the wizard shows the times in it. */
  timezone: string;
  /** ISO 8601 instants. */
  startsAt: string;
  endsAt: string;
  keyword: string;
  capacity: number | null;
  resultsVisibility: ResultsVisibility;
  privacyMode: PrivacyMode;
}

export interface WizardRound {
  /** Set for a round that exists (editing); a round left out of an edit is removed (pending rounds only). */
  documentId?: string;
  number: number;
  title: Bilingual;
  opensAt: string;
  closesAt: string;
}

/** An artist already in the CMS (`documentId`), or a new one created with the event (`name`). */
export type WizardArtist = { documentId: string; name?: string } | { documentId?: undefined; name: string };

export interface WizardLineupEntry {
  documentId?: string;
  artist: WizardArtist;
  voteCode: string;
}

export interface EventWizardInput {
  details: WizardDetails;
  rounds: WizardRound[];
  lineup: WizardLineupEntry[];
  /** Publish the event (both locales) and its new artists; otherwise everything stays a draft. */
  publish: boolean;
}

export interface WizardResult {
  documentId: string;
  slug: string;
  published: boolean;
}

export type KeywordProblem = 'invalid' | 'reserved' | 'taken' | 'vote_code';

export interface KeywordAvailability {
  keyword: string;
  available: boolean;
  problem: KeywordProblem | null;
}

export interface ArtistChoice {
  documentId: string;
  name: string;
}

/** POST /sms-voting/wizard/events — 201; 400 names each problem's path; nothing is written on error. */
export declare namespace CreateWizardEvent {
  interface Request {
    body: EventWizardInput;
  }
  interface Response {
    data: WizardResult;
  }
}

/** PUT /sms-voting/wizard/events/:documentId — the same input; 404 unknown event. */
export declare namespace UpdateWizardEvent {
  interface Request {
    params: { documentId: string };
    body: EventWizardInput;
  }
  interface Response {
    data: WizardResult;
  }
}

/** POST /sms-voting/wizard/validate — the same checks as a save, nothing written: `{ data: { valid: true } }` or 400. */
export declare namespace ValidateWizardEvent {
  interface Request {
    body: EventWizardInput & { documentId?: string };
  }
  interface Response {
    data: { valid: true };
  }
}

/** GET /sms-voting/wizard/events/:documentId — the event as the wizard edits it (its draft); 404 unknown. */
export declare namespace GetWizardEvent {
  interface Response {
    data: EventWizardInput & { documentId: string; published: boolean };
  }
}

/** GET /sms-voting/wizard/keyword?keyword=&documentId= — whether an event (documentId: this one) may use the keyword. */
export declare namespace CheckKeyword {
  interface Response {
    data: KeywordAvailability;
  }
}

/** GET /sms-voting/wizard/drafts — events never published, newest first (the live list shows published ones). */
export declare namespace ListDraftEvents {
  interface Response {
    data: EventListItem[];
  }
}

/** GET /sms-voting/wizard/artists — every artist, by name, to pick for a lineup. */
export declare namespace ListArtistChoices {
  interface Response {
    data: ArtistChoice[];
  }
}

export const WIZARD_API = {
  create: () => '/sms-voting/wizard/events',
  event: (documentId: string) => `/sms-voting/wizard/events/${encodeURIComponent(documentId)}`,
  validate: () => '/sms-voting/wizard/validate',
  keyword: (keyword: string, documentId?: string) =>
    `/sms-voting/wizard/keyword?keyword=${encodeURIComponent(keyword)}${documentId ? `&documentId=${encodeURIComponent(documentId)}` : ''}`,
  artists: () => '/sms-voting/wizard/artists',
  drafts: () => '/sms-voting/wizard/drafts',
};
