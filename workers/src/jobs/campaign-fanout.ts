import { transactionProducer } from '../durable/producer';
import { writeOutbox, type OutboundMessage } from '../outbox';
import { piiKeys, unsealPII } from '../pii';
import { cmsEnv } from '../runtime/app';
import type { Knex } from '../durable/strapi-db';
import type { JobContext, JobHandler } from './types';

type FanoutSettings = Record<string, unknown>;
/** What the fan-out reaches of the app (plugins/crm/server/src/campaigns/fanout.ts `FanoutApp`). */
type FanoutApp = {
  knex: Knex;
  dialect: 'postgres' | 'sqlite';
  config: FanoutSettings;
  unseal(sealed: string): string;
  transaction<T>(work: (trx: Knex, queue: (messages: OutboundMessage[]) => Promise<{ queued: number }>) => Promise<T>): Promise<T>;
};
type FanoutModule = {
  fanOutCampaign(app: FanoutApp, campaignId: number, options?: { now?: Date; pauseMs?: number }): Promise<Record<string, unknown>>;
  fanoutSettings(env: unknown): FanoutSettings;
};

/** The CRM plugin's fan-out (`@ovation/plugin-crm/fanout`): the database and its settings, no Strapi. */
const crm = () => require('@ovation/plugin-crm/fanout') as FanoutModule;

/**
 * The fan-out on the app's database alone, so a worker that runs only this job never loads Strapi:
 * each batch's messages and send jobs are written in one transaction and handed over once it commits.
 */
export async function campaignFanout({ app, handOff }: Pick<JobContext, 'app' | 'handOff'>) {
  const knex = await app.knex();
  const keys = piiKeys(process.env.PII_ENCRYPTION_KEY);
  const fanoutApp: FanoutApp = {
    knex,
    dialect: app.postgres ? 'postgres' : 'sqlite',
    // Where Strapi is loaded, the plugin's config as the cms sees it; else from the same environment.
    config: app.strapi ? (app.strapi.config.get('plugin::crm') as FanoutSettings) : crm().fanoutSettings(cmsEnv()),
    unseal: (sealed) => unsealPII(keys, sealed),
    async transaction(work) {
      let jobs: ReturnType<typeof transactionProducer> | undefined;
      const result = await knex.transaction((trx) => {
        const producer = (jobs = transactionProducer(trx, app.postgres));
        return work(trx, (messages) => writeOutbox(trx, keys, messages, (sendJobs) => producer.enqueueMany('message.send', sendJobs)));
      });
      // Committed: what is due goes to Redis now (what the lane misses, the sweeper hands over).
      await handOff(jobs?.due ?? []);
      return result;
    },
  };
  return {
    run: (campaignId: number, options: { now?: Date } = {}) =>
      crm().fanOutCampaign(fanoutApp, campaignId, { ...options, pauseMs: Number(process.env.CRM_FANOUT_PAUSE_MS) || 0 }),
  };
}

/**
 * Queues a campaign's messages: one per consenting fan of its segment, keyed `campaign:<id>:<fan>`, a
 * batch per transaction with the cursor it reached. A retry after a crash starts from that cursor,
 * and the keys make any batch it repeats a no-op, so each fan gets one message.
 */
export const fanOutCampaign: JobHandler<'campaign.fanout'> = async ({ campaignId }, context) => {
  const result = await (await campaignFanout(context)).run(campaignId);
  context.logger.info('campaign.fanout done', { campaignId, ...result });
  return result;
};
