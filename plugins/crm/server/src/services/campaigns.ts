import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CampaignInput, CampaignProgress, CampaignState, CampaignView, Language, Rule, SmsCost, SmsLength, Template } from '../../../shared/contracts/crm';
import { OPT_OUT_LINE } from '../config';
import { localScheduleStart, parseLocalTime } from '../campaigns/local-time';
import { nextSendableTime } from '../campaigns/quiet-hours';
import { smsLength } from '../campaigns/sms-length';
import { templateLanguage } from '../campaigns/template';
import { FAN } from '../segments/compile';
import { campaignTopic } from '../campaigns/keys';
import { withShortLinkLengths } from '../tracking/short-links';
import { TABLES } from '../segments/tables';
import { jobs, outbox } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { invalid } from '../utils/validation';

const UID = 'plugin::crm.campaign';
type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** One fan-out job per start or resume: a retry of the job repeats it, a resume is a new one. */
const fanoutKey = (id: number, run: number) => `campaign.fanout:${id}:${run}`;

/** An SMS's length in each language, with the opt-out line the first message in a while carries, and its links as short links. */
const smsLengths = (templates: CampaignInput['templates'], publicUrl: string) =>
  Object.fromEntries(
    (Object.entries(templates) as [Language, Template][]).map(([language, template]) => [
      language,
      smsLength(`${withShortLinkLengths(template.body, publicUrl)}\n${OPT_OUT_LINE[language]}`),
    ])
  ) as Partial<Record<Language, SmsLength>>;

/** `publicUrl`: where short links point, so the SMS length counts them as sent. */
export const toCampaignView = (row: Row, publicUrl: string): CampaignView => {
  const templates = json(row.templates) as CampaignInput['templates'];
  return {
    id: Number(row.id),
    documentId: row.documentId as string,
    name: row.name as string,
    channel: row.channel as CampaignView['channel'],
    segmentId: Number(row.segment_id),
    eventRef: (row.event_ref as string | null) ?? null,
    artistRef: (row.artist_ref as string | null) ?? null,
    templates,
    state: row.phase as CampaignState,
    scheduledAt: iso(row.scheduled_at),
    localTime: (row.local_time as string | null) ?? null,
    localDate: (row.local_date as string | null) ?? null,
    recipients: row.recipients === null || row.recipients === undefined ? null : Number(row.recipients),
    createdBy: row.author_id ? Number(row.author_id) : null,
    approvedBy: row.approver_id ? Number(row.approver_id) : null,
    sms: row.channel === 'sms' ? smsLengths(templates, publicUrl) : null,
    createdAt: iso(row.createdAt),
  };
};

/**
 * Campaigns: drafts, sending now or at a time, approval by a second person above the threshold,
 * pause, resume and cancel. Every state change is one conditional update, with the fan-out job
 * written in the same transaction, so two clicks (or two admins) never start a campaign twice.
 */
const createCampaigns = ({ strapi }: { strapi: Core.Strapi }) => {
  const view = (row: Row) => toCampaignView(row, pluginConfig(strapi).publicUrl);
  const documents = () => strapi.documents(UID as never);
  const find = async (id: number) => {
    const row = (await strapi.db.query(UID as never).findOne({ where: { id } })) as Row | null;
    if (!row) throw new errors.NotFoundError('No such campaign');
    return row;
  };
  const segmentRules = async (segmentId: number) => {
    const segment = await strapi.db.connection(TABLES.segments).where({ id: segmentId }).first('rules');
    if (!segment) throw invalid('segmentId', `there is no segment ${segmentId}`);
    return json(segment.rules) as Rule;
  };

  /** Moves the campaign from one of `from` to `to` (with more columns); false when another change came first. */
  const move = async (id: number, from: CampaignState[], to: CampaignState, data: Row = {}) =>
    (await strapi.db.connection(TABLES.campaigns).where({ id }).whereIn('phase', from).update({ phase: to, ...data, updated_at: new Date() })) > 0;

  const startFanout = async (row: Row, at: Date) => {
    const run = Number(row.fanout_runs ?? 0) + 1;
    await strapi.db.connection(TABLES.campaigns).where({ id: row.id }).update({ fanout_runs: run });
    await jobs(strapi).enqueue('campaign.fanout', { campaignId: Number(row.id) }, { key: fanoutKey(Number(row.id), run), dueAt: at });
  };

  /**
   * "At 18:00 in each fan's own time zone" on a date (by default today in the default zone): refused
   * when that hour is in the quiet hours or has passed everywhere. The fan-out starts as the hour
   * arrives in the zone furthest ahead; each fan's message is due at that hour in their zone.
   */
  const localSchedule = (localTime: string, on: string | undefined, now: Date) => {
    const config = pluginConfig(strapi);
    const minute = parseLocalTime(localTime);
    if (minute === null) throw invalid('localTime', `"${localTime}" is not a time of day (HH:MM, such as 18:00)`);
    const date = on ?? new Intl.DateTimeFormat('en-CA', { timeZone: config.defaultTimeZone }).format(now);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw invalid('on', `"${date}" is not a date (YYYY-MM-DD)`);
    const day = Date.parse(`${date}T00:00:00Z`);
    if (nextSendableTime(new Date(day + minute * 60_000), 'UTC', config.quietHours).getTime() !== day + minute * 60_000) {
      throw invalid('localTime', `${localTime} is within the quiet hours: no fan may be messaged then`);
    }
    // The zone furthest behind (UTC−12) reaches the hour last: past that, the day is over everywhere.
    if (day + minute * 60_000 + 12 * 3_600_000 < now.getTime()) throw invalid('on', `${localTime} on ${date} has passed in every time zone: choose a later day`);
    const start = localScheduleStart(date, minute);
    return { date, start: start.getTime() > now.getTime() ? start : now };
  };

  const refuse = (row: Row, action: string) =>
    new errors.ValidationError(`This campaign is ${String(row.phase).replace('_', ' ')}: it cannot be ${action}`, { errors: [{ path: ['state'], message: `cannot be ${action}`, name: 'ValidationError' }] });

  /**
   * What an SMS campaign not yet sent would cost now: its audience counted by language (one query),
   * each fan at the segments of the template they get (the opt-out line counted), at the configured price.
   */
  const smsCost = async (row: Row, view: CampaignView): Promise<SmsCost | null> => {
    if (row.channel !== 'sms' || !['draft', 'awaiting_approval'].includes(row.phase as string) || !view.sms) return null;
    const { smsPricePerSegment: perSegment, smsPriceCurrency: currency } = pluginConfig(strapi);
    const byLanguage = (await getService(strapi, 'audience')
      .query(strapi.db.connection, await segmentRules(Number(row.segment_id)), { channel: 'sms' })
      .clearSelect()
      .select(`${FAN}.language`)
      .count({ n: '*' })
      .groupBy(`${FAN}.language`)) as { language: string; n: number | string }[];
    let recipients = 0;
    let segments = 0;
    for (const group of byLanguage) {
      recipients += Number(group.n);
      segments += Number(group.n) * (view.sms[templateLanguage(view.templates, group.language)]?.segments ?? 0);
    }
    return { recipients, segments, perSegment, amount: Math.round(segments * perSegment * 10_000) / 10_000, currency };
  };
  const withCost = async (row: Row) => {
    const shown = view(row);
    return { ...shown, cost: await smsCost(row, shown) };
  };

  return {
    /** The latest 200, without their cost: each cost is an audience count, paid only where one campaign is shown. */
    async list(): Promise<CampaignView[]> {
      const rows = (await strapi.db.query(UID as never).findMany({ orderBy: { id: 'desc' }, limit: 200 })) as Row[];
      return rows.map(view);
    },

    async find(id: number): Promise<CampaignView> {
      return withCost(await find(id));
    },

    async create(input: CampaignInput, userId: number): Promise<CampaignView> {
      await segmentRules(input.segmentId);
      const data = { name: input.name, channel: input.channel, segment_id: input.segmentId, event_ref: input.eventRef ?? null, artist_ref: input.artistRef ?? null, templates: input.templates, phase: 'draft', author_id: userId };
      return view((await documents().create({ data: data as never })) as Row);
    },

    async update(id: number, input: Partial<CampaignInput>): Promise<CampaignView> {
      const row = await find(id);
      if (row.phase !== 'draft') throw refuse(row, 'edited');
      if (input.segmentId !== undefined) await segmentRules(input.segmentId);
      const data = Object.fromEntries(
        Object.entries({ name: input.name, channel: input.channel, segment_id: input.segmentId, event_ref: input.eventRef, artist_ref: input.artistRef, templates: input.templates }).filter(([, value]) => value !== undefined)
      );
      return view((await documents().update({ documentId: row.documentId as string, data: data as never })) as Row);
    },

    /** How many fans it would reach now: the segment's members with the channel's marketing consent. */
    async recipients(row: Row) {
      return getService(strapi, 'audience').count(await segmentRules(Number(row.segment_id)), { channel: row.channel as CampaignView['channel'] });
    },

    /**
     * Sends now, or at `at`. Refused for a time in the past and for an audience of nobody; above the
     * approval threshold it waits for a second person's approval (then goes at its time, or at once).
     */
    async send(id: number, request: { at?: Date; localTime?: string; on?: string }, now = new Date()): Promise<CampaignView> {
      const row = await find(id);
      if (row.phase !== 'draft') throw refuse(row, 'sent');
      const local = request.localTime ? localSchedule(request.localTime, request.on, now) : null;
      const at = local?.start ?? request.at;
      if (!local && at && at.getTime() < now.getTime() - 1000) throw invalid('at', `${at.toISOString()} is in the past: schedule a later time, or send now`);
      const recipients = await this.recipients(row);
      if (recipients === 0) throw invalid('segmentId', 'nobody in this segment has consented to marketing on this channel: the campaign would reach no one');
      const needsApproval = recipients > pluginConfig(strapi).approvalThreshold;
      await strapi.db.transaction(async () => {
        const data = { scheduled_at: at ?? null, recipients, local_time: request.localTime ?? null, local_date: local?.date ?? null };
        if (needsApproval) {
          if (!(await move(id, ['draft'], 'awaiting_approval', data))) throw refuse(row, 'sent');
          return;
        }
        if (!(await move(id, ['draft'], 'scheduled', data))) throw refuse(row, 'sent');
        await startFanout(row, at ?? now);
      });
      return this.find(id);
    },

    /** A second Marketing user lets a large campaign go: never the person who wrote it. */
    async approve(id: number, userId: number, now = new Date()): Promise<CampaignView> {
      const row = await find(id);
      if (row.phase !== 'awaiting_approval') throw refuse(row, 'approved');
      if (Number(row.author_id) === userId) throw new errors.ForbiddenError('A campaign is approved by someone other than its author');
      await strapi.db.transaction(async () => {
        if (!(await move(id, ['awaiting_approval'], 'scheduled', { approver_id: userId }))) throw refuse(row, 'approved');
        const at = row.scheduled_at ? new Date(row.scheduled_at as string) : now;
        await startFanout(row, at.getTime() > now.getTime() ? at : now);
      });
      return this.find(id);
    },

    /**
     * Stops the fan-out where it is and holds the messages not yet sent, until resumed. `sent` means
     * every message is queued, not yet that every one went out: those may still be held.
     */
    async pause(id: number): Promise<CampaignView> {
      const row = await find(id);
      if (!(await move(id, ['scheduled', 'sending', 'sent'], 'paused'))) throw refuse(row, 'paused');
      return this.find(id);
    },

    /** Goes on from where the pause stopped it: held messages are sent, the fan-out continues from its cursor. */
    async resume(id: number, now = new Date()): Promise<CampaignView> {
      const row = await find(id);
      await strapi.db.transaction(async () => {
        if (!(await move(id, ['paused'], 'sending'))) throw refuse(row, 'resumed');
        const at = row.scheduled_at ? new Date(row.scheduled_at as string) : now;
        await startFanout(row, at.getTime() > now.getTime() ? at : now);
      });
      return this.find(id);
    },

    /** Nothing more goes out: the fan-out stops and every message not yet sent is suppressed. */
    async cancel(id: number): Promise<CampaignView> {
      const row = await find(id);
      if (!(await move(id, ['draft', 'awaiting_approval', 'scheduled', 'sending', 'paused', 'sent'], 'cancelled'))) throw refuse(row, 'cancelled');
      return this.find(id);
    },

    async progress(id: number): Promise<CampaignProgress> {
      const row = await find(id);
      return { campaign: await withCost(row), fannedOut: Number(row.fanned_out ?? 0), messages: await outbox(strapi).progress(campaignTopic(id)) };
    },
  };
};

export type CampaignsService = ReturnType<typeof createCampaigns>;
export default createCampaigns;
