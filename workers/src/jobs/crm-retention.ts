import { PermanentJobError } from '../errors';
import { appService } from './app-services';
import type { JobHandler } from './types';

/** The CRM plugin's retention (plugins/crm/server/src/services/retention.ts), as this handler uses it. */
export type CrmRetention = { purge(): Promise<{ inbound: number; messages: number; batches: number; olderThan: string; retentionDays: number }> };

/**
 * Purges inbound SMS bodies and settled outbox messages older than CRM_RETENTION_DAYS, in batches.
 * Safe to run again: what it purged no longer matches, so a retry or a second run changes nothing.
 */
export const purgeCrmRetention: JobHandler<'crm.retention'> = async ({ slot }, { strapi, logger }) => {
  if (!strapi.plugin('crm')) throw new PermanentJobError('crm.retention needs the crm plugin');
  const result = await appService(strapi, 'plugin::crm.retention').purge();
  logger.info('crm.retention done', { slot, ...result });
  return { slot, ...result };
};
