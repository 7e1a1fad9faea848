import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CampaignStats, DeliveryCounts, Language } from '../../../shared/contracts/crm';
import { TABLES } from '../segments/tables';
import { CLICKS_TABLE, EVENTS_TABLE, STATUS_TABLE } from '../tracking/schema';
import { DELIVERED_STATUSES, FAILED_STATUSES, TWILIO_ERRORS } from '../tracking/statuses';
import { campaignTopic } from '../campaigns/keys';
import { marketingPurpose } from './audience';

type Row = Record<string, unknown>;
const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
const iso = (value: unknown) => new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number)).toISOString();

/**
 * A campaign's delivery, clicks and opt-outs, counted by the database (a campaign may have 100,000
 * messages): per language through the fan each message went to, by the hour, and its failures
 * grouped by reason.
 */
const createCampaignStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  /** An hour's bucket of a timestamp column: PostgreSQL's date_trunc, SQLite's milliseconds. */
  const hourOf = (column: string) =>
    strapi.db.dialect.client === 'postgres' ? knex().raw(`date_trunc('hour', ${column})`) : knex().raw(`CAST(${column} / 3600000 AS INTEGER) * 3600000`);

  /** The campaign's messages with what the counts need: the fan's language, the delivery status, a click, an opt-out since `since`. */
  const recipients = (db: Knex, topic: string, channel: 'sms' | 'email', since: Date) => {
    const purpose = marketingPurpose(channel);
    return db('messages as m')
      .leftJoin('fans as f', channel === 'sms' ? 'f.phone_hash' : 'f.email_hash', 'm.recipient_hash')
      .leftJoin(`${STATUS_TABLE} as s`, 's.message_id', 'm.id')
      .where('m.topic', topic)
      .select(
        db.raw(`COALESCE(f.language, 'unknown') as language`),
        db.raw('COUNT(*) as recipients'),
        db.raw(`SUM(CASE WHEN m.state = 'sent' THEN 1 ELSE 0 END) as sent`),
        db.raw(`SUM(CASE WHEN s.status IN (${list(DELIVERED_STATUSES)}) THEN 1 ELSE 0 END) as delivered`),
        db.raw(`SUM(CASE WHEN m.state = 'failed' OR s.status IN (${list(FAILED_STATUSES)}) THEN 1 ELSE 0 END) as failed`),
        db.raw(`SUM(CASE WHEN s.status = 'clicked' OR EXISTS (SELECT 1 FROM ${CLICKS_TABLE} c WHERE c.message_id = m.id) THEN 1 ELSE 0 END) as clicked`),
        db.raw(
          `SUM(CASE WHEN EXISTS (SELECT 1 FROM ${TABLES.consent} r WHERE r.subject_hash = m.recipient_hash AND r.channel = ? AND r.action = 'opt_out' AND r.purpose IN (?, 'all') AND r.occurred_at >= ?) THEN 1 ELSE 0 END) as opted_out`,
          [channel, purpose, since]
        )
      )
      .groupByRaw(`COALESCE(f.language, 'unknown')`);
  };

  const counts = (row: Row): DeliveryCounts => ({
    recipients: Number(row.recipients ?? 0),
    sent: Number(row.sent ?? 0),
    delivered: Number(row.delivered ?? 0),
    failed: Number(row.failed ?? 0),
    clicked: Number(row.clicked ?? 0),
    optedOut: Number(row.opted_out ?? 0),
  });

  return {
    async of(campaignId: number): Promise<CampaignStats | null> {
      const db = knex();
      const campaign = (await db(TABLES.campaigns).where({ id: campaignId }).first('id', 'channel')) as { id: number; channel: 'sms' | 'email' } | undefined;
      if (!campaign) return null;
      const topic = campaignTopic(campaignId);
      const first = (await db('messages').where({ topic }).min({ at: 'created_at' }).first()) as { at: unknown } | undefined;
      const startedAt = first?.at ? new Date(iso(first.at)) : null;

      const byLanguage: CampaignStats['byLanguage'] = {};
      const totals = counts({});
      if (startedAt) {
        for (const row of (await recipients(db, topic, campaign.channel, startedAt)) as Row[]) {
          const language = row.language as Language | 'unknown';
          byLanguage[language] = counts(row);
          for (const key of Object.keys(totals) as (keyof DeliveryCounts)[]) totals[key] += byLanguage[language]![key];
        }
      }

      const hours = new Map<string, CampaignStats['timeline'][number]>();
      const add = (rows: Row[], key: 'sent' | 'delivered' | 'failed' | 'clicked') => {
        for (const row of rows) {
          const hour = iso(row.hour);
          const entry = hours.get(hour) ?? { hour, sent: 0, delivered: 0, failed: 0, clicked: 0 };
          entry[key] += Number(row.n);
          hours.set(hour, entry);
        }
      };
      const ofCampaign = (query: Knex.QueryBuilder) => query.whereIn('message_id', db('messages').where({ topic }).select('id'));
      add(await db('messages').where({ topic }).whereNotNull('sent_at').select({ hour: hourOf('sent_at') }).count({ n: '*' }).groupBy('hour'), 'sent');
      add(await ofCampaign(db(EVENTS_TABLE).where({ status: 'delivered' })).select({ hour: hourOf('occurred_at') }).countDistinct({ n: 'message_id' }).groupBy('hour'), 'delivered');
      add(await ofCampaign(db(EVENTS_TABLE).whereIn('status', FAILED_STATUSES)).select({ hour: hourOf('occurred_at') }).countDistinct({ n: 'message_id' }).groupBy('hour'), 'failed');
      add(await db(CLICKS_TABLE).where({ campaign_id: campaignId }).select({ hour: hourOf('clicked_at') }).countDistinct({ n: 'message_id' }).groupBy('hour'), 'clicked');
      const timeline = [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour));

      const failureRows = (await db('messages as m')
        .leftJoin(`${STATUS_TABLE} as s`, 's.message_id', 'm.id')
        .where('m.topic', topic)
        .where((query) => query.where('m.state', 'failed').orWhereIn('s.status', FAILED_STATUSES))
        .select({ code: 's.error_code', reason: db.raw(`COALESCE(s.reason, m.error, s.status)`) })
        .count({ n: '*' })
        .groupBy('s.error_code', db.raw(`COALESCE(s.reason, m.error, s.status)`))
        .orderBy('n', 'desc')
        .limit(20)) as Row[];
      const failures = failureRows.map((row) => {
        const code = (row.code as string | null) ?? null;
        return { errorCode: code, reason: (row.reason as string | null) ?? (code && TWILIO_ERRORS[code]) ?? 'failed', count: Number(row.n) };
      });

      return { campaignId, startedAt: startedAt?.toISOString() ?? null, totals, byLanguage, timeline, failures };
    },
  };
};

export type CampaignStatsService = ReturnType<typeof createCampaignStats>;
export default createCampaignStats;
