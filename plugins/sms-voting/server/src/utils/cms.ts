import type { Core, Public } from '@strapi/strapi';
import type {} from '../types/app-services';
import type { JobProducer } from '@ovation/workers/jobs';
import type { Language } from '../../../shared/contracts';

export type { Language };

/** The cms's fan service (cms/src/api/fan/services/fan.ts), as this plugin uses it. */
export type FanDirectory = {
  hashPhone(e164: string): string;
  findByPhone(e164: string): Promise<{ id: number; documentId: string; language: Language } | null>;
  upsertByPhone(e164: string, options: { language: Language }): Promise<{ id: number; documentId: string; language: Language; created: boolean }>;
  setLanguage(documentId: string, language: Language): Promise<void>;
  phoneOf(fan: { phone_encrypted: string }): string;
};

/** The cms's consent ledger (cms/src/api/consent-record/services/consent-record.ts). */
export type ConsentLedger = {
  record(entry: {
    identifier: string;
    channel: 'sms' | 'email';
    purpose: string;
    action: 'opt_in' | 'opt_out';
    source: string;
    evidence?: Record<string, unknown>;
    ip?: string;
  }): Promise<unknown>;
  allows(identifier: string, channel: 'sms' | 'email'): Promise<boolean>;
  allowsSubject(subjectHash: string, channel: 'sms' | 'email'): Promise<boolean>;
};

type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown';

/** The cms's outbox (cms/src/api/message/services/message.ts): messages queued with their send jobs. */
export type Outbox = {
  queue(
    messages: { idempotencyKey: string; channel: 'sms' | 'email'; to: string; body: string; purpose: string; topic?: string }[]
  ): Promise<{ queued: number; existing: number }>;
  progress(topic: string): Promise<Record<MessageState, number>>;
  fillSecretsWith(purpose: string, fill: (message: { idempotencyKey: string; body: string }) => Promise<string>): void;
  retryFailed(topic: string): Promise<number>;
};

/** The ops plugin's durable job queue (plugins/ops/server/src/services/jobs.ts), as this plugin uses it. */
export type JobQueue = Pick<JobProducer, 'enqueue' | 'store'>;

type AppServiceUid = 'api::fan.fan' | 'api::consent-record.consent-record' | 'api::message.message' | 'plugin::ops.jobs';

/** An app service by uid, as the registry declares it (types/app-services.ts). */
const appService = <U extends AppServiceUid>(strapi: Core.Strapi, uid: U) => strapi.service(uid) as Public.Services[U];

export const fans = (strapi: Core.Strapi) => appService(strapi, 'api::fan.fan');
export const consent = (strapi: Core.Strapi) => appService(strapi, 'api::consent-record.consent-record');
export const outbox = (strapi: Core.Strapi) => appService(strapi, 'api::message.message');
export const jobs = (strapi: Core.Strapi) => appService(strapi, 'plugin::ops.jobs');
