import type { Core } from '@strapi/strapi';
import type { Channel } from '../../../shared/contracts/crm';
import { quietZone } from '../campaigns/fanout';
import { nextSendableTime } from '../campaigns/quiet-hours';
import { TABLES } from '../segments/tables';
import type { SendVerdict } from '../utils/cms';
import { pluginConfig } from '../utils/plugin-config';
import { marketingPurpose } from './audience';

const KEY = /^campaign:(\d+):/;
const PAUSED_RETRY_MS = 30_000;

/**
 * Asked by the outbox right before each campaign message is sent (the fan-out may be hours old):
 * is the campaign still going, does the fan still consent to this purpose (a STOP since the fan-out
 * means no message), and is it daytime where the fan is? Otherwise the message waits or is dropped.
 */
const createSendGate = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The ledger's latest word for this purpose: an opt-out of it or of everything (STOP) since the last opt-in means no. */
  async consents(subjectHash: string, channel: Channel) {
    const purpose = marketingPurpose(channel);
    const records = (await strapi.db
      .connection(TABLES.consent)
      .where({ subject_hash: subjectHash, channel })
      .whereIn('purpose', [purpose, 'all'])
      .orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .select('purpose', 'action')) as { purpose: string; action: 'opt_in' | 'opt_out' }[];
    // START (an opt-in to everything) does not bring marketing back; the latest other record decides.
    const deciding = records.find((record) => record.action === 'opt_out' || record.purpose === purpose);
    return deciding?.action === 'opt_in';
  },

  async verdict(message: { idempotencyKey: string; channel: Channel; to: string; recipientHash: string }, now = new Date()): Promise<SendVerdict> {
    const campaignId = Number(KEY.exec(message.idempotencyKey)?.[1]);
    const campaign = campaignId ? await strapi.db.connection(TABLES.campaigns).where({ id: campaignId }).first('phase', 'event_ref') : undefined;
    if (!campaign) return { send: false, suppress: 'Its campaign no longer exists' };
    if (campaign.phase === 'cancelled') return { send: false, suppress: 'The campaign was cancelled' };
    if (campaign.phase === 'paused') return { send: false, retryAt: new Date(now.getTime() + PAUSED_RETRY_MS), reason: 'The campaign is paused' };
    if (!(await this.consents(message.recipientHash, message.channel))) return { send: false, suppress: `The recipient has no ${marketingPurpose(message.channel)} consent` };
    const eventZone = campaign.event_ref ? ((await strapi.db.connection('events').where({ document_id: campaign.event_ref }).first('timezone'))?.timezone ?? null) : null;
    const config = pluginConfig(strapi);
    const zone = quietZone(config, message.to, message.channel, eventZone);
    const sendable = nextSendableTime(now, zone, config.quietHours);
    if (sendable.getTime() > now.getTime()) return { send: false, retryAt: sendable, reason: `Quiet hours in ${zone}` };
    return { send: true };
  },
});

export type SendGateService = ReturnType<typeof createSendGate>;
export default createSendGate;
