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
  recipients: number | null;
  createdBy: number | null;
  approvedBy: number | null;
  /** Per language, for SMS: its length in segments (the opt-out line included when it applies). */
  sms: Partial<Record<Language, SmsLength>> | null;
  /** For SMS: what sending it would cost, each fan's segments in their language × the price per segment (CRM_SMS_PRICE_PER_SEGMENT). */
  cost?: SmsCost | null;
  createdAt: string | null;
};
export type CampaignProgress = {
  campaign: CampaignView;
  fannedOut: number;
  messages: Record<'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown', number>;
};
export type SendRequest = { at?: string };

/** An SMS campaign's cost estimate: `recipients` now (or when it was sent), their segments in all, at `perSegment` each. */
export type SmsCost = { recipients: number; segments: number; perSegment: number; amount: number; currency: string };

/** "Send test": the campaign in one language to the admin's own email, or to a number they type (SMS). */
export type TestSendRequest = { language: Language; to?: string };
export type TestSendResult = { channel: Channel; language: Language; to: string };
