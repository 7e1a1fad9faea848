import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Language, Template, TestSendResult } from '../../../shared/contracts/crm';
import { OPT_OUT_LINE } from '../config';
import { campaignContext } from '../campaigns/context';
import { renderCampaignEmail } from '../campaigns/email';
import { renderTemplate } from '../campaigns/template';
import { TABLES } from '../segments/tables';
import { outbox } from '../utils/cms';
import { pluginConfig } from '../utils/plugin-config';
import { invalid } from '../utils/validation';

/** The outbox purpose of test sends: shown as such in the outbox, never gated by consent or quiet hours. */
export const TEST_SEND_PURPOSE = 'campaign-test';
/** Each admin's test sends, for their hourly limit (the topic column is indexed). */
const topicOf = (userId: number) => `campaign-test:user:${userId}`;
const HOUR_MS = 3_600_000;

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * "Send test" in the campaign editor: the campaign as a fan of the chosen language would get it,
 * to the signed-in admin's own address (email) or a number they type (SMS), through the outbox like
 * any message. The number or address is stored only as that message's recipient, sealed.
 */
const createTestSends = ({ strapi }: { strapi: Core.Strapi }) => ({
  async send(campaignId: number, { language, to }: { language: Language; to: string }, userId: number, now = new Date()): Promise<TestSendResult> {
    const config = pluginConfig(strapi);
    const campaign = await strapi.db.connection(TABLES.campaigns).where({ id: campaignId }).first('channel', 'templates', 'event_ref', 'artist_ref');
    if (!campaign) throw new errors.NotFoundError('No such campaign');
    const templates = json(campaign.templates) as Partial<Record<Language, Template>>;
    const template = templates[language];
    if (!template) throw invalid('language', `this campaign has no ${language} template`);

    return strapi.db.transaction(async ({ trx }) => {
      const sent = await trx(TABLES.messages).where({ topic: topicOf(userId) }).where('created_at', '>', new Date(now.getTime() - HOUR_MS)).count({ n: '*' }).first();
      if (Number(sent?.n ?? 0) >= config.testSendsPerHour) {
        throw new errors.RateLimitError(`Too many test sends: at most ${config.testSendsPerHour} an hour`, { retryAfter: 3600 });
      }
      const context = await campaignContext(trx, { eventRef: campaign.event_ref ?? null, artistRef: campaign.artist_ref ?? null, siteUrl: config.siteUrl, brandName: config.brandName });
      const values = context.byLanguage[language];
      const content =
        campaign.channel === 'email'
          ? (({ subject, text, html }) => ({ subject: `[Test] ${subject}`, body: text, html }))(renderCampaignEmail(template, values, language, config.brandName))
          : { body: `${renderTemplate(template.body, values)}\n${OPT_OUT_LINE[language]}` };
      const idempotencyKey = `${TEST_SEND_PURPOSE}:${campaignId}:${crypto.randomUUID()}`;
      await outbox(strapi).queue([{ idempotencyKey, channel: campaign.channel, to, ...content, purpose: TEST_SEND_PURPOSE, topic: topicOf(userId) }]);
      const row = await trx(TABLES.messages).where({ idempotency_key: idempotencyKey }).first('recipient_masked');
      return { channel: campaign.channel, language, to: row.recipient_masked as string };
    });
  },
});

export type TestSendsService = ReturnType<typeof createTestSends>;
export default createTestSends;
