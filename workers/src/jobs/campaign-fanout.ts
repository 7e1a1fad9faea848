import type { Core } from '@strapi/strapi';
import { appService } from './app-services';
import type { JobHandler } from './types';

/** The CRM plugin's fan-out (plugins/crm/server/src/services/fanout.ts), as this handler uses it. */
export type Campaigns = { run(campaignId: number): Promise<Record<string, unknown>> };

const campaigns = (strapi: Core.Strapi) => appService(strapi, 'plugin::crm.fanout');

/**
 * Queues a campaign's messages: one per consenting fan of its segment, keyed `campaign:<id>:<fan>`, a
 * batch per transaction with the cursor it reached. A retry after a crash starts from that cursor,
 * and the keys make any batch it repeats a no-op, so each fan gets one message.
 */
export const fanOutCampaign: JobHandler<'campaign.fanout'> = async ({ campaignId }, { strapi, logger }) => {
  const result = await campaigns(strapi).run(campaignId);
  logger.info('campaign.fanout done', { campaignId, ...result });
  return result;
};
