import type { Knex } from 'knex';
import type { OutboundMessage } from '@ovation/workers/jobs';
import type { Channel, Language, Rule, Template } from '../../../shared/contracts/crm';
import crmConfig, { OPT_OUT_LINE, type CrmConfig, type Env } from '../config';
import { FAN, type Dialect } from '../segments/compile';
import { audienceQuery } from '../segments/audience';
import { TABLES } from '../segments/tables';
import { LINKS_TABLE } from '../tracking/schema';
import { shortenEmailLinks, shortenLinks } from '../tracking/short-links';
import { campaignContext, firstVoteArtists } from './context';
import { renderCampaignEmail } from './email';
import { CAMPAIGN_PURPOSE, campaignMessageKey, campaignTopic } from './keys';
import { localSendTime, parseLocalTime } from './local-time';
import { nextSendableTime } from './quiet-hours';
import { renderTemplate, templateLanguage } from './template';
import { timeZoneOfNumber } from './time-zone';

type Row = Record<string, unknown>;
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const DAY_MS = 86_400_000;

/** A message as the outbox queues it (the workers' `writeOutbox`). */
export type CampaignMessage = OutboundMessage;

/** What the fan-out needs of the app: only its database and settings, so a worker runs it without loading Strapi. */
export type FanoutApp = {
  knex: Knex;
  dialect: Dialect;
  config: Pick<CrmConfig, 'siteUrl' | 'brandName' | 'quietHours' | 'defaultTimeZone' | 'optOutReminderDays' | 'fanoutBatch' | 'publicUrl'>;
  /** A fan's phone number or email, unsealed (PII_ENCRYPTION_KEY). */
  unseal(sealed: string): string;
  /** One batch's writes, in one transaction: `queue` writes messages with their send jobs in it. */
  transaction<T>(work: (trx: Knex, queue: (messages: CampaignMessage[]) => Promise<{ queued: number }>) => Promise<T>): Promise<T>;
};

/**
 * The fan-out's settings from the environment, as the plugin's config reads them: for a worker that
 * runs it without loading Strapi (`@ovation/plugin-crm/fanout`).
 */
export const fanoutSettings = (env: Env): FanoutApp['config'] => crmConfig.default({ env });

/** The zone a fan's quiet hours are in: their number's, else the event's, else the configured default. */
export const quietZone = (config: Pick<CrmConfig, 'defaultTimeZone'>, to: string, channel: Channel, eventZone: string | null) =>
  (channel === 'sms' ? timeZoneOfNumber(to) : null) ?? eventZone ?? config.defaultTimeZone;

/** Fans of this batch who had a marketing SMS in the last days: their next one needs no opt-out line. */
async function recentlyReminded(app: FanoutApp, hashes: string[], campaignId: number, now: Date) {
  if (hashes.length === 0) return new Set<string>();
  const since = new Date(now.getTime() - app.config.optOutReminderDays * DAY_MS);
  const rows = (await app.knex(TABLES.messages)
    .where({ purpose: CAMPAIGN_PURPOSE, channel: 'sms' })
    .whereIn('recipient_hash', hashes)
    .where('created_at', '>=', since)
    .whereNot('topic', campaignTopic(campaignId))
    .whereNotIn('state', ['suppressed', 'failed'])
    .distinct('recipient_hash')) as { recipient_hash: string }[];
  return new Set(rows.map((row) => row.recipient_hash));
}

/**
 * The workers' `campaign.fanout`: walks the campaign's audience by fan id from the cursor it
 * reached, a batch per transaction (the batch's messages with their send jobs, and the cursor), so
 * a worker killed mid-way loses nothing and a retry repeats at most one batch, whose message keys
 * (`campaign:<id>:<fan>`) make it a no-op. Each message is due outside the fan's quiet hours.
 */
export async function fanOutCampaign(app: FanoutApp, campaignId: number, { now: fixed, pauseMs = 0 }: { now?: Date; pauseMs?: number } = {}) {
  const { knex, config } = app;
  const campaign = async () => (await knex(TABLES.campaigns).where({ id: campaignId }).first()) as Row | undefined;
  let row = await campaign();
  if (!row) return { status: 'missing' };
  const channel = row.channel as Channel;
  const templates = json(row.templates) as Partial<Record<Language, Template>>;
  const rules = json((await knex(TABLES.segments).where({ id: row.segment_id }).first('rules'))?.rules) as Rule | undefined;
  if (!rules) return { status: 'no-segment' };
  const context = await campaignContext(knex, { eventRef: (row.event_ref as string) ?? null, artistRef: (row.artist_ref as string) ?? null, siteUrl: config.siteUrl, brandName: config.brandName });
  await knex(TABLES.campaigns).where({ id: campaignId, phase: 'scheduled' }).update({ phase: 'sending', updated_at: new Date() });

  let queued = 0;
  for (;;) {
    row = await campaign();
    // Paused or cancelled meanwhile: stop here; a resume starts a new fan-out from the cursor.
    if (!row || row.phase !== 'sending') return { status: row?.phase ?? 'missing', queued };
    const now = fixed ?? new Date();
    const cursor = Number(row.fanout_cursor ?? 0);
    const page = (await audienceQuery(knex, app.dialect, rules, { channel, now })
      .where(`${FAN}.id`, '>', cursor)
      .orderBy(`${FAN}.id`)
      .limit(config.fanoutBatch)
      .select(`${FAN}.id`, `${FAN}.document_id`, `${FAN}.language`, `${FAN}.phone_encrypted`, `${FAN}.phone_hash`, `${FAN}.email_encrypted`)) as Row[];
    if (page.length === 0) {
      await knex(TABLES.campaigns).where({ id: campaignId, phase: 'sending' }).update({ phase: 'sent', updated_at: new Date() });
      return { status: 'sent', queued };
    }
    const artists = await firstVoteArtists(knex, page.map((fan) => fan.document_id as string));
    const reminded = channel === 'sms' ? await recentlyReminded(app, page.map((fan) => fan.phone_hash as string), campaignId, now) : new Set<string>();
    const links = new Map<string, { code: string; url: string }[]>();
    const localMinute = row.local_time ? parseLocalTime(row.local_time as string) : null;
    const localDate = row.local_date as string;
    const messages = page.map((fan): CampaignMessage => {
      const language = templateLanguage(templates, fan.language as string);
      const template = templates[language] as Template;
      const values = { ...context.byLanguage[language], 'fan.first_vote_artist': artists.get(fan.document_id as string) };
      const to = app.unseal((channel === 'sms' ? fan.phone_encrypted : fan.email_encrypted) as string);
      const idempotencyKey = campaignMessageKey(campaignId, fan.document_id as string);
      const zone = quietZone(config, to, channel, context.eventTimeZone);
      // "At 18:00 in each fan's own time zone": that hour there (tomorrow's when today's has passed).
      const local = localMinute !== null ? localSendTime(localDate, localMinute, zone, now) : now;
      const sendable = nextSendableTime(local, zone, config.quietHours);
      let content: { subject?: string; body: string; html?: string };
      // Each link becomes the fan's own short link, stored with the message below.
      if (channel === 'email') {
        // Its unsubscribe link (a marker until then) is added as it is sent.
        const email = renderCampaignEmail(template, values, language, config.brandName);
        const shortened = shortenEmailLinks(email, config.publicUrl);
        links.set(idempotencyKey, shortened.links);
        content = { subject: email.subject, body: shortened.text, html: shortened.html };
      } else {
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
    await app.transaction(async (trx, queue) => {
      const result = await queue(messages);
      queued += result.queued;
      // The links of the messages this batch wrote; a message a retry found already written kept its own.
      const linked = [...links].filter(([, list]) => list.length > 0).map(([key]) => key);
      const written = linked.length
        ? ((await trx(TABLES.messages)
            .whereIn('idempotency_key', linked)
            .whereNotExists(trx(LINKS_TABLE).whereRaw(`${LINKS_TABLE}.message_id = ${TABLES.messages}.id`))
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
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
