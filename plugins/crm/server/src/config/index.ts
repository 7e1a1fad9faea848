import { parseQuietWindow, isTimeZone, type QuietWindow } from '../campaigns/quiet-hours';

export type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
};

export type CrmConfig = {
  /** Where `{{event.url}}` points: `${siteUrl}/events/<slug>` (`/es/events/…` in Spanish). */
  siteUrl: string;
  /** The brand fans know the messages by (`{{brand.name}}`, the opt-in invitation). */
  brandName: string;
  /** No marketing message reaches a fan in this local window; such sends wait for its end. */
  quietHours: QuietWindow;
  /** The zone used when neither the fan's number nor the campaign's event gives one. */
  defaultTimeZone: string;
  /** A campaign to more fans than this needs a second Marketing user's approval. */
  approvalThreshold: number;
  /** A fan's first marketing SMS in this many days carries the opt-out line. */
  optOutReminderDays: number;
  /** Fans read and messages queued per transaction of the fan-out. */
  fanoutBatch: number;
  /** Signs unsubscribe links and confirmation links (HMAC-SHA256); set by the app from its first key. */
  signingKey: string;
  /** What one SMS segment costs (`CRM_SMS_PRICE_PER_SEGMENT`), for the editor's cost estimate. */
  smsPricePerSegment: number;
  smsPriceCurrency: string;
  /** Confirmation emails one address may be sent an hour (each sign-up sends one). */
  confirmationsPerHour: number;
  /** Test sends one admin may make an hour. */
  testSendsPerHour: number;
  /** Inbound SMS bodies and settled outbox messages older than this many days are purged (services/retention.ts). */
  retentionDays: number;
  /** The cms's public address: short links are `${publicUrl}/l/<code>`; Twilio signs status callbacks for it. */
  publicUrl: string;
  /** Verifies Twilio's status callbacks (X-Twilio-Signature); without it every callback is refused. */
  twilioAuthToken: string;
  /** SendGrid's Event Webhook verification key (base64 ECDSA public key); without it every event post is refused. */
  sendgridWebhookPublicKey: string;
};

export const OPT_OUT_LINE = { en: 'Reply STOP to opt out', es: 'Responde STOP para darte de baja' } as const;

export default {
  default: ({ env }: { env: Env }): CrmConfig => ({
    siteUrl: env('SITE_URL', 'http://localhost:4321'),
    brandName: env('BRAND_NAME', 'Ovation'),
    quietHours: parseQuietWindow(env('CRM_QUIET_HOURS', '21:00-08:00')),
    defaultTimeZone: env('CRM_DEFAULT_TIME_ZONE', 'UTC'),
    approvalThreshold: env.int('CRM_APPROVAL_THRESHOLD', 1000),
    optOutReminderDays: env.int('CRM_OPT_OUT_REMINDER_DAYS', 30),
    fanoutBatch: env.int('CRM_FANOUT_BATCH', 500),
    signingKey: '',
    smsPricePerSegment: Number(env('CRM_SMS_PRICE_PER_SEGMENT', '0.0083')),
    smsPriceCurrency: env('CRM_SMS_PRICE_CURRENCY', 'USD'),
    confirmationsPerHour: 3,
    testSendsPerHour: env.int('CRM_TEST_SENDS_PER_HOUR', 10),
    retentionDays: env.int('CRM_RETENTION_DAYS', 365),
    publicUrl: env('PUBLIC_URL', '') || `http://localhost:${env.int('PORT', 1337)}`,
    twilioAuthToken: env('TWILIO_AUTH_TOKEN', ''),
    sendgridWebhookPublicKey: env('SENDGRID_WEBHOOK_PUBLIC_KEY', ''),
  }),
  validator(config: CrmConfig) {
    if (!/^https?:\/\//.test(config.siteUrl)) throw new Error('crm: siteUrl must be an http(s) URL');
    if (!/^https?:\/\//.test(config.publicUrl)) throw new Error('crm: PUBLIC_URL must be an http(s) URL');
    if (!isTimeZone(config.defaultTimeZone)) throw new Error(`crm: CRM_DEFAULT_TIME_ZONE "${config.defaultTimeZone}" is not a time zone`);
    if (!(config.approvalThreshold >= 0)) throw new Error('crm: CRM_APPROVAL_THRESHOLD must be 0 or more');
    if (!config.signingKey || config.signingKey.length < 16) throw new Error('crm: signingKey must be a secret of 16 characters or more');
    if (!(config.smsPricePerSegment >= 0)) throw new Error('crm: CRM_SMS_PRICE_PER_SEGMENT must be a number, 0 or more');
    if (!/^[A-Z]{3}$/.test(config.smsPriceCurrency)) throw new Error('crm: CRM_SMS_PRICE_CURRENCY must be an ISO 4217 code (USD, EUR)');
    // The opt-out line's rule reads the fan's recent marketing messages: they must outlive its window.
    if (!(config.retentionDays >= config.optOutReminderDays)) throw new Error(`crm: CRM_RETENTION_DAYS must be at least CRM_OPT_OUT_REMINDER_DAYS (${config.optOutReminderDays})`);
    if (!(config.fanoutBatch >= 1 && config.fanoutBatch <= 5000)) throw new Error('crm: CRM_FANOUT_BATCH must be between 1 and 5000');
  },
};
