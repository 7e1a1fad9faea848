import { factories } from '@strapi/strapi';
import { lookupHash, maskIdentifier } from '../../../lib/pii';

const UID = 'api::message.message';

export type OutboundMessageInput = {
  idempotencyKey: string;
  channel: 'sms' | 'email';
  provider: 'twilio' | 'sendgrid' | 'sandbox';
  to: string;
  subject?: string;
  body: string;
  purpose: string;
};

/** `claimed` means this delivery owns the send; anything else means another one did or does. */
export type Claim = { claimed: true; id: number } | { claimed: false; reason: 'already_sent' | 'in_flight' };

type Row = { id: number; status: 'sending' | 'sent' | 'failed'; attempts: number; updatedAt: string | Date };

const isUniqueViolation = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /must be unique/.test(message ?? '');
};

/**
 * The outbox: one row per message, keyed by its idempotency key. A worker claims the row before it
 * calls the provider, so a job delivered twice sends once; a claim left by a worker that died is
 * taken over once its lease runs out.
 */
export default factories.createCoreService(UID, ({ strapi }) => ({
  async claim(input: OutboundMessageInput, leaseMs: number): Promise<Claim> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const row = (await strapi.db.query(UID).findOne({
        where: { idempotency_key: input.idempotencyKey },
        select: ['id', 'status', 'attempts', 'updatedAt'],
      })) as Row | null;

      if (!row) {
        try {
          const created = await strapi.documents(UID).create({
            data: {
              idempotency_key: input.idempotencyKey,
              channel: input.channel,
              provider: input.provider,
              recipient_masked: maskIdentifier(input.to),
              recipient_hash: lookupHash(input.to),
              subject: input.subject,
              body: input.body,
              purpose: input.purpose,
              status: 'sending',
              attempts: 1,
            },
          });
          return { claimed: true, id: created.id as number };
        } catch (error) {
          if (isUniqueViolation(error)) continue; // another delivery created it first: look again
          throw error;
        }
      }

      if (row.status === 'sent') return { claimed: false, reason: 'already_sent' };
      const leaseActive = row.status === 'sending' && Date.now() - new Date(row.updatedAt).getTime() < leaseMs;
      if (leaseActive) return { claimed: false, reason: 'in_flight' };

      // Failed before, or its worker died: take it over unless another delivery just did.
      const { count } = await strapi.db.query(UID).updateMany({
        where: { id: row.id, attempts: row.attempts },
        data: { status: 'sending', attempts: row.attempts + 1, provider: input.provider, error: null },
      });
      return count === 1 ? { claimed: true, id: row.id } : { claimed: false, reason: 'in_flight' };
    }
    return { claimed: false, reason: 'in_flight' };
  },

  async markSent(id: number, providerMessageId: string) {
    await strapi.db.query(UID).update({
      where: { id },
      data: { status: 'sent', provider_message_id: providerMessageId, sent_at: new Date(), error: null },
    });
  },

  /** Not sent because the recipient opted out after it was queued. */
  async markSuppressed(id: number, reason: string) {
    await strapi.db.query(UID).update({ where: { id }, data: { status: 'suppressed', error: reason } });
  },

  async markFailed(id: number, reason: string) {
    await strapi.db.query(UID).update({ where: { id }, data: { status: 'failed', error: reason.slice(0, 2000) } });
  },
}));
