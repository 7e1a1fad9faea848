import type { Core } from '@strapi/strapi';
import type { ArtistPortalConfig } from '../config';

export const pluginConfig = (strapi: Core.Strapi) => strapi.config.get('plugin::artist-portal') as ArtistPortalConfig;

/** The cms's outbox (cms/src/api/message/services/message.ts), as this plugin uses it. */
export type Outbox = {
  queue(messages: { idempotencyKey: string; channel: 'sms' | 'email'; to: string; subject?: string; body: string; purpose: string }[]): Promise<{ queued: number; existing: number }>;
  fillSecretsWith(purpose: string, fill: (message: { idempotencyKey: string; body: string }) => Promise<string>): void;
};
export const outbox = (strapi: Core.Strapi) => strapi.service('api::message.message') as Outbox;

export const ARTIST = 'api::artist.artist';
export const USER = 'plugin::users-permissions.user';
export const ROLE = 'plugin::users-permissions.role';
