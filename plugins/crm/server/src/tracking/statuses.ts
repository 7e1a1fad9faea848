/**
 * What a provider may report about a message, in the order a message goes through them: a status
 * replaces the one recorded only when it is further along (higher rank), so a late `sent` never
 * overwrites `delivered`. Equal ranks are ends of the same step (delivered, undelivered, failed,
 * bounced, dropped): the first word stands. Rank 0 is history only (a deferral).
 */
export const DELIVERY_RANK = {
  deferred: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  bounced: 3,
  dropped: 3,
  opened: 4,
  clicked: 5,
  spam_report: 6,
  unsubscribed: 6,
} as const;
export type DeliveryStatus = keyof typeof DELIVERY_RANK;

/** The ends that mean the message did not reach the fan. */
export const FAILED_STATUSES: DeliveryStatus[] = ['undelivered', 'failed', 'bounced', 'dropped'];
/** Those that mean it did (an open or a spam report implies delivery). */
export const DELIVERED_STATUSES: DeliveryStatus[] = ['delivered', 'opened', 'clicked', 'spam_report', 'unsubscribed'];

/** Twilio's MessageStatus values (SMS), by the status recorded; unknown ones are acknowledged and ignored. */
export const TWILIO_STATUSES: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'opened',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** SendGrid's Event Webhook event types, by the status recorded. */
export const SENDGRID_EVENTS: Record<string, DeliveryStatus> = {
  processed: 'sent',
  deferred: 'deferred',
  delivered: 'delivered',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  dropped: 'dropped',
  spamreport: 'spam_report',
  unsubscribe: 'unsubscribed',
  group_unsubscribe: 'unsubscribed',
};

/** Twilio's delivery error codes a status callback carries, in words for the campaign page. */
export const TWILIO_ERRORS: Record<string, string> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Filtered by the carrier',
  '30008': 'Unknown error',
  '21610': 'The recipient replied STOP to this sender',
};
