/**
 * The CRM's API shapes, once: the server's controllers `satisfy` them, the admin pages import them.
 */

export type Channel = 'sms' | 'email';
export type Language = 'en' | 'es';
/** Consent purposes a segment can ask about: `voting` is any event's keyword join. */
export const CONSENT_PURPOSES = ['voting', 'marketing_sms', 'marketing_email'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** One condition of a segment: a field, an operator and its value. */
export type Condition =
  | { field: 'tags'; op: 'any' | 'all' | 'none'; value: string[] }
  | { field: 'language'; op: 'in' | 'not_in'; value: Language[] }
  | { field: 'country'; op: 'in' | 'not_in'; value: string[] }
  | { field: 'attended'; op: 'any' | 'none'; value: string[] }
  | { field: 'voted'; op: 'in_event' | 'in_round'; value: string }
  | { field: 'joined'; op: 'between'; value: { from?: string; to?: string } }
  | { field: 'last_activity'; op: 'within_days' | 'not_within_days'; value: number }
  | { field: 'consent'; op: 'has' | 'lacks'; value: { purpose: ConsentPurpose; channel: Channel } };

export type Field = Condition['field'];
/** A segment's rules: conditions combined with AND (`all`) and OR (`any`), nested. */
export type Rule = Condition | { all: Rule[] } | { any: Rule[] };

export type SegmentInput = { name: string; description?: string | null; rules: Rule };
export type SegmentView = { id: number; documentId: string; name: string; description: string | null; rules: Rule; createdAt: string | null; updatedAt: string | null };
/** A member as the admin may see one: the number and email masked. */
export type MaskedMember = { id: number; documentId: string; phone: string | null; hasEmail: boolean; language: Language; country: string | null };
export type SegmentCount = { count: number; tookMs: number };
export type SegmentSample = { members: MaskedMember[] };

/** `sent`: every message is queued (the fan-out finished); some may still wait for a fan's morning. */
export type CampaignState = 'draft' | 'awaiting_approval' | 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'sent';
/**
 * A template in one language. For SMS, `body` is the text. For email, `body` is the HTML (sanitised
 * when saved), `subject` is required and `text` is the plain-text part (made from the HTML if left out).
 */
export type Template = { subject?: string; body: string; text?: string };
export type CampaignInput = {
  name: string;
  channel: Channel;
  segmentId: number;
  /** The event whose `{{event.*}}` and whose artist `{{artist.*}}` the templates use. */
  eventRef?: string | null;
  artistRef?: string | null;
  templates: Partial<Record<Language, Template>> & { en: Template };
};
export type SmsLength = { encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number };
export type CampaignView = {
  id: number;
  documentId: string;
  name: string;
  channel: Channel;
  segmentId: number;
  eventRef: string | null;
  artistRef: string | null;
  templates: CampaignInput['templates'];
  state: CampaignState;
  scheduledAt: string | null;
  /** Sent at this time (HH:MM) in each fan's own time zone, on `localDate`: `scheduledAt` is then when the fan-out starts. */
  localTime: string | null;
  localDate: string | null;
  recipients: number | null;
  createdBy: number | null;
  approvedBy: number | null;
  /** Per language, for SMS: its length in segments (the opt-out line included when it applies). */
  sms: Partial<Record<Language, SmsLength>> | null;
  /**
   * For SMS: what sending it would cost, each fan's segments in their language × the price per segment
   * (CRM_SMS_PRICE_PER_SEGMENT). Only on one campaign (`GET /campaigns/:id`), never on the list.
   */
  cost?: SmsCost | null;
  createdAt: string | null;
};
export type CampaignProgress = {
  campaign: CampaignView;
  fannedOut: number;
  messages: Record<'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown', number>;
};
/**
 * Now (nothing), at a time (`at`, shown in the brand's zone), or at a time of day in each fan's own
 * zone (`localTime` "18:00", on `on`, a date, by default today in CRM_DEFAULT_TIME_ZONE).
 */
export type SendRequest = { at?: string; localTime?: string; on?: string };

/** What happened to a campaign's messages, counted per recipient (one message each). */
export type DeliveryCounts = {
  recipients: number;
  /** Handed to the provider. */
  sent: number;
  /** The provider reported it delivered (an open or a spam report implies it). */
  delivered: number;
  /** Refused by the provider, or reported undelivered, failed, bounced or dropped. */
  failed: number;
  /** Recipients who followed one of its links at least once. */
  clicked: number;
  /** Recipients who opted out of marketing on its channel (or texted STOP) after it started. */
  optedOut: number;
};
/** A campaign's page: totals, per language, by the hour, and why messages failed. */
export type CampaignStats = {
  campaignId: number;
  startedAt: string | null;
  totals: DeliveryCounts;
  /** `unknown`: the fan is no longer on file (erased). */
  byLanguage: Partial<Record<Language | 'unknown', DeliveryCounts>>;
  timeline: { hour: string; sent: number; delivered: number; failed: number; clicked: number }[];
  failures: { reason: string; errorCode: string | null; count: number }[];
};
/** An SMS campaign's cost estimate: `recipients` now (or when it was sent), their segments in all, at `perSegment` each. */
export type SmsCost = { recipients: number; segments: number; perSegment: number; amount: number; currency: string };

/** "Send test": the campaign in one language to the admin's own email, or to a number they type (SMS). */
export type TestSendRequest = { language: Language; to?: string };
export type TestSendResult = { channel: Channel; language: Language; to: string };
