import type { Core, Public } from '@strapi/strapi';
import { auditTrail, type AuditedOperation, type JobProducer } from '@ovation/workers/jobs';
import type {} from '../types/app-services';

type Channel = 'sms' | 'email';
type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown';
export type SendVerdict = { send: true } | { send: false; suppress: string } | { send: false; retryAt: Date; reason: string };

/** The cms's fan service (cms/src/api/fan/services/fan.ts), as this plugin uses it. */
export type FanDirectory = {
  phoneOf(fan: { phone_encrypted: string }): string;
  emailOf(fan: { email_encrypted: string }): string;
  fillCountries(): Promise<number>;
  hashEmail(email: string): string;
  sealEmail(email: string): string;
  addEmail(email: string, options: { fanRef: string | null; language: 'en' | 'es' }): Promise<{ documentId: string; created: boolean }>;
  lookupHashOf(identifier: string): string;
  mask(identifier: string): string;
};

/** The cms's consent ledger (cms/src/api/consent-record/services/consent-record.ts), as this plugin uses it. */
export type ConsentLedger = {
  /** Appends one record. */
  record(entry: { identifier: string; channel: Channel; purpose: string; action: 'opt_in' | 'opt_out'; source: string; evidence?: Record<string, unknown>; ip?: string }): Promise<unknown>;
  /** Erasure: the subjects' records replaced by one opt-out each (the one exception to append-only). */
  eraseSubjects(subjects: { subjectHash: string; channel: Channel }[]): Promise<{ removed: number }>;
};

/** An email's last touch before sending: its recipient's own links and headers (cms message service). */
export type EmailDresser = (message: { id: number; idempotencyKey: string; body: string; html: string | null }) => Promise<{ body: string; html: string | null; headers: Record<string, string> }>;

/** The cms's outbox (cms/src/api/message/services/message.ts): messages queued with their send jobs. */
export type Outbox = {
  queue(
    messages: { idempotencyKey: string; channel: Channel; to: string; subject?: string; body: string; html?: string; purpose: string; topic?: string; notBefore?: Date }[]
  ): Promise<{ queued: number; existing: number }>;
  progress(topic: string): Promise<Record<MessageState, number>>;
  fillSecretsWith(purpose: string, fill: (message: { idempotencyKey: string; body: string }) => Promise<string>): void;
  dressWith(purpose: string, dress: EmailDresser): void;
  gateWith(purpose: string, gate: (message: { idempotencyKey: string; channel: Channel; to: string; recipientHash: string }) => Promise<SendVerdict>): void;
};


/** The ops plugin's durable job queue (plugins/ops/server/src/services/jobs.ts), as this plugin uses it. */
export type JobQueue = Pick<JobProducer, 'enqueue' | 'store'>;

type AppServiceUid = 'api::fan.fan' | 'api::message.message' | 'api::consent-record.consent-record' | 'plugin::ops.jobs';
const appService = <U extends AppServiceUid>(strapi: Core.Strapi, uid: U) => strapi.service(uid) as Public.Services[U];

export const fans = (strapi: Core.Strapi) => appService(strapi, 'api::fan.fan');
export const outbox = (strapi: Core.Strapi) => appService(strapi, 'api::message.message');
export const jobs = (strapi: Core.Strapi) => appService(strapi, 'plugin::ops.jobs');
export const consentLedger = (strapi: Core.Strapi) => appService(strapi, 'api::consent-record.consent-record');

/** The sms-voting plugin's voting links (plugins/sms-voting/server/src/services/tokens.ts), as this plugin uses them. */
export type VotingTokens = { find(token: string): Promise<{ fanRef: string; expiresAt: Date | null } | null> };
export const votingTokens = (strapi: Core.Strapi) => strapi.plugin('sms-voting').service('tokens') as VotingTokens;
/** Records an operation in the audit trail (plugins/audit-trail), in the transaction in progress; nothing where the plugin is off. */
export const recordAudit = async (strapi: Core.Strapi, operation: AuditedOperation) => {
  await auditTrail(strapi)?.record(operation);
};
