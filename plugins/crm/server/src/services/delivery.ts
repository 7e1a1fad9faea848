import type { Core } from '@strapi/strapi';
import { scrubText } from '@ovation/workers/jobs';
import { EVENTS_TABLE, STATUS_TABLE } from '../tracking/schema';
import { DELIVERY_RANK, type DeliveryStatus } from '../tracking/statuses';
import { consentLedger, fans } from '../utils/cms';

export type DeliveryReport = {
  /** The outbox row, as the provider names it: its message id (Twilio's SID) or our own row id (SendGrid's custom argument). */
  message: { providerMessageId: string } | { id: number };
  provider: 'twilio' | 'sendgrid';
  status: DeliveryStatus;
  errorCode?: string | null;
  reason?: string | null;
  /** The provider's id of this report: the same report twice is recorded once. */
  providerEventId: string;
  occurredAt: Date;
  /** A hard bounce or a spam report: the address gets no more marketing email. */
  suppress?: boolean;
};

/**
 * Delivery reports from the providers (Twilio's status callbacks, SendGrid's Event Webhook): each is
 * appended to the message's history and moves its status forward, never back; a hard bounce or a
 * spam report records a `marketing_email` opt-out in the consent ledger with the report as evidence,
 * which the send gate and the segments already honour. One transaction per report.
 */
const createDelivery = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** 'recorded', 'repeat' (seen before) or 'unknown-message'. */
  async record(report: DeliveryReport): Promise<'recorded' | 'repeat' | 'unknown-message'> {
    const where = 'id' in report.message ? { id: report.message.id } : { provider_message_id: report.message.providerMessageId };
    return strapi.db.transaction(async ({ trx }) => {
      const message = (await trx('messages').where(where).first('id', 'channel', 'recipient_encrypted', 'topic')) as
        | { id: number; channel: string; recipient_encrypted: string | null; topic: string | null }
        | undefined;
      if (!message) return 'unknown-message';
      const now = new Date();
      const rank = DELIVERY_RANK[report.status];
      // A bounce's words often name the address ("550 <fan@example.com>: no such user"): kept without it.
      const reason = report.reason ? scrubText(report.reason).slice(0, 500) : null;
      const detail = { error_code: report.errorCode?.slice(0, 32) ?? null, reason };
      const inserted = await trx(EVENTS_TABLE)
        .insert({ message_id: message.id, provider: report.provider, status: report.status, ...detail, provider_event_id: report.providerEventId.slice(0, 200), occurred_at: report.occurredAt, received_at: now })
        .onConflict('provider_event_id')
        .ignore()
        .returning(['id']);
      if (inserted.length === 0) return 'repeat';
      if (rank > 0) {
        // Only forward: the row changes when this status is further along than the one recorded.
        await trx(STATUS_TABLE)
          .insert({ message_id: message.id, status: report.status, rank, ...detail, updated_at: now })
          .onConflict('message_id')
          .merge(['status', 'rank', 'error_code', 'reason', 'updated_at'])
          .where(`${STATUS_TABLE}.rank`, '<', rank);
      }
      if (report.suppress && message.channel === 'email' && message.recipient_encrypted) {
        await consentLedger(strapi).record({
          identifier: fans(strapi).emailOf({ email_encrypted: message.recipient_encrypted }),
          channel: 'email',
          purpose: 'marketing_email',
          action: 'opt_out',
          source: `${report.provider}:${report.status}`,
          evidence: { provider: report.provider, event: report.status, reason, errorCode: report.errorCode ?? null, providerEventId: report.providerEventId, messageId: message.id, topic: message.topic, occurredAt: report.occurredAt.toISOString() },
        });
      }
      return 'recorded';
    });
  },

  /** A message's reports in the order they arrived. */
  async history(messageId: number) {
    return strapi.db.connection(EVENTS_TABLE).where({ message_id: messageId }).orderBy('id').select('provider', 'status', 'error_code', 'reason', 'occurred_at');
  },
});

export type DeliveryService = ReturnType<typeof createDelivery>;
export default createDelivery;
