import type { Core } from '@strapi/strapi';
import type { Channel, Language, Rule, Template } from '../../../shared/contracts/crm';
import { OPT_OUT_LINE } from '../config';
import { campaignContext, firstVoteArtists } from '../campaigns/context';
import { renderCampaignEmail } from '../campaigns/email';
import { nextSendableTime } from '../campaigns/quiet-hours';
import { renderTemplate, templateLanguage } from '../campaigns/template';
import { localSendTime, parseLocalTime } from '../campaigns/local-time';
import { timeZoneOfNumber } from '../campaigns/time-zone';
import { LINKS_TABLE } from '../tracking/schema';
import { shortenLinks } from '../tracking/short-links';
import { FAN } from '../segments/compile';
import { TABLES } from '../segments/tables';
import { fans, outbox } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { CAMPAIGN_PURPOSE, campaignMessageKey, campaignTopic } from './campaigns';

type Row = Record<string, unknown>;
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const DAY_MS = 86_400_000;

/**
 * The workers' `campaign.fanout`: walks the campaign's audience by fan id from the cursor it
 * reached, a batch per transaction (the batch's messages with their send jobs, and the cursor), so
 * a worker killed mid-way loses nothing and a retry repeats at most one batch, whose message keys
 * (`campaign:<id>:<fan>`) make it a no-op. Each message is due outside the fan's quiet hours.
 */
const createFanout = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const campaign = async (id: number) => (await knex()(TABLES.campaigns).where({ id }).first()) as Row | undefined;
  /** Pacing between batches (CRM_FANOUT_PAUSE_MS), to spread a very large fan-out's load on the database. */
  const pause = () => Number(process.env.CRM_FANOUT_PAUSE_MS) || 0;

  /** Fans of this batch who had a marketing SMS in the last days: their next one needs no opt-out line. */
  const recentlyReminded = async (hashes: string[], campaignId: number, now: Date) => {
    if (hashes.length === 0) return new Set<string>();
    const since = new Date(now.getTime() - pluginConfig(strapi).optOutReminderDays * DAY_MS);
    const rows = (await knex()(TABLES.messages)
      .where({ purpose: CAMPAIGN_PURPOSE, channel: 'sms' })
      .whereIn('recipient_hash', hashes)
      .where('created_at', '>=', since)
      .whereNot('topic', campaignTopic(campaignId))
      .whereNotIn('state', ['suppressed', 'failed'])
      .distinct('recipient_hash')) as { recipient_hash: string }[];
    return new Set(rows.map((row) => row.recipient_hash));
  };

  return {
    /** The zone a fan's quiet hours are in: their number's, else the event's, else the configured default. */
    timeZoneFor(to: string, channel: Channel, eventZone: string | null) {
      return (channel === 'sms' ? timeZoneOfNumber(to) : null) ?? eventZone ?? pluginConfig(strapi).defaultTimeZone;
    },

    async run(campaignId: number, { now: fixed }: { now?: Date } = {}) {
      const config = pluginConfig(strapi);
      let row = await campaign(campaignId);
      if (!row) return { status: 'missing' };
      const channel = row.channel as Channel;
      const templates = json(row.templates) as Partial<Record<Language, Template>>;
      const rules = json((await knex()(TABLES.segments).where({ id: row.segment_id }).first('rules'))?.rules) as Rule | undefined;
      if (!rules) return { status: 'no-segment' };
      const context = await campaignContext(knex(), { eventRef: (row.event_ref as string) ?? null, artistRef: (row.artist_ref as string) ?? null, siteUrl: config.siteUrl, brandName: config.brandName });
      await knex()(TABLES.campaigns).where({ id: campaignId, phase: 'scheduled' }).update({ phase: 'sending', updated_at: new Date() });

      let queued = 0;
      for (;;) {
        row = await campaign(campaignId);
        // Paused or cancelled meanwhile: stop here; a resume starts a new fan-out from the cursor.
        if (!row || row.phase !== 'sending') return { status: row?.phase ?? 'missing', queued };
        const now = fixed ?? new Date();
        const cursor = Number(row.fanout_cursor ?? 0);
        const page = (await getService(strapi, 'audience')
          .query(knex(), rules, { channel, now })
          .where(`${FAN}.id`, '>', cursor)
          .orderBy(`${FAN}.id`)
          .limit(config.fanoutBatch)
          .select(`${FAN}.id`, `${FAN}.document_id`, `${FAN}.language`, `${FAN}.phone_encrypted`, `${FAN}.phone_hash`, `${FAN}.email_encrypted`)) as Row[];
        if (page.length === 0) {
          await knex()(TABLES.campaigns).where({ id: campaignId, phase: 'sending' }).update({ phase: 'sent', updated_at: new Date() });
          return { status: 'sent', queued };
        }
        const artists = await firstVoteArtists(knex(), page.map((fan) => fan.document_id as string));
        const reminded = channel === 'sms' ? await recentlyReminded(page.map((fan) => fan.phone_hash as string), campaignId, now) : new Set<string>();
        const links = new Map<string, { code: string; url: string }[]>();
        const localMinute = row.local_time ? parseLocalTime(row.local_time as string) : null;
        const localDate = row.local_date as string;
        const messages = page.map((fan) => {
          const language = templateLanguage(templates, fan.language as string);
          const template = templates[language] as Template;
          const values = { ...context.byLanguage[language], 'fan.first_vote_artist': artists.get(fan.document_id as string) };
          const to = channel === 'sms' ? fans(strapi).phoneOf(fan as { phone_encrypted: string }) : fans(strapi).emailOf(fan as { email_encrypted: string });
          const idempotencyKey = campaignMessageKey(campaignId, fan.document_id as string);
          const zone = this.timeZoneFor(to, channel, context.eventTimeZone);
          // "At 18:00 in each fan's own time zone": that hour there (tomorrow's when today's has passed).
          const local = localMinute !== null ? localSendTime(localDate, localMinute, zone, now) : now;
          const sendable = nextSendableTime(local, zone, config.quietHours);
          let content: { subject?: string; body: string; html?: string };
          if (channel === 'email') {
            // An email's links stay as written (its HTML is not rewritten); its unsubscribe link is added as it is sent.
            const email = renderCampaignEmail(template, values, language, config.brandName);
            content = { subject: email.subject, body: email.text, html: email.html };
          } else {
            // Each link becomes the fan's own short link, stored with the message below.
            const shortened = shortenLinks(renderTemplate(template.body, values), config.publicUrl);
            links.set(idempotencyKey, shortened.links);
            content = { body: reminded.has(fan.phone_hash as string) ? shortened.body : `${shortened.body}\n${OPT_OUT_LINE[language]}` };
          }
          return {
            idempotencyKey,
            channel,
            to,
            ...content,
            purpose: CAMPAIGN_PURPOSE,
            topic: campaignTopic(campaignId),
            notBefore: sendable.getTime() > now.getTime() ? sendable : undefined,
          };
        });
        const lastId = Number(page[page.length - 1].id);
        await strapi.db.transaction(async ({ trx }) => {
          const result = await outbox(strapi).queue(messages);
          queued += result.queued;
          // The links of the messages this batch wrote; a message a retry found already written kept its own.
          const linked = [...links].filter(([, list]) => list.length > 0).map(([key]) => key);
          const written = linked.length
            ? ((await trx('messages')
                .whereIn('idempotency_key', linked)
                .whereNotExists(trx(LINKS_TABLE).whereRaw(`${LINKS_TABLE}.message_id = messages.id`))
                .select('id', 'idempotency_key')) as { id: number; idempotency_key: string }[])
            : [];
          const rows = written.flatMap((message) =>
            (links.get(message.idempotency_key) ?? []).map((link) => ({ ...link, message_id: Number(message.id), campaign_id: campaignId, created_at: new Date() }))
          );
          if (rows.length) await trx(LINKS_TABLE).insert(rows);
          await trx(TABLES.campaigns)
            .where({ id: campaignId })
            .update({ fanout_cursor: lastId, fanned_out: trx.raw('COALESCE(fanned_out, 0) + ?', [result.queued]), updated_at: new Date() });
        });
        if (pause() > 0) await new Promise((resolve) => setTimeout(resolve, pause()));
      }
    },
  };
};

export type FanoutService = ReturnType<typeof createFanout>;
export default createFanout;
