import type { Core } from '@strapi/strapi';

export type Language = 'en' | 'es';

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
};

export const fans = (strapi: Core.Strapi) => strapi.service('api::fan.fan') as unknown as FanDirectory;
export const consent = (strapi: Core.Strapi) => strapi.service('api::consent-record.consent-record') as unknown as ConsentLedger;
