import { factories } from '@strapi/strapi';
import { lookupHash } from '../../../lib/pii';

const UID = 'api::consent-record.consent-record';

export type Channel = 'sms' | 'email';
export type ConsentAction = 'opt_in' | 'opt_out';

export type ConsentEntry = {
  /** The E.164 number or lower-cased email the consent is about; only its keyed hash is stored. */
  identifier: string;
  channel: Channel;
  purpose: string;
  action: ConsentAction;
  source: string;
  evidence?: Record<string, unknown>;
  ip?: string;
};

/**
 * The consent ledger: append-only. The latest record for a subject and channel decides whether
 * anything but a direct reply may be sent.
 */
export default factories.createCoreService(UID, ({ strapi }) => ({
  async record(entry: ConsentEntry) {
    return strapi.documents(UID).create({
      data: {
        subject_hash: lookupHash(entry.identifier),
        channel: entry.channel,
        purpose: entry.purpose,
        action: entry.action,
        source: entry.source,
        evidence: entry.evidence ?? null,
        ip: entry.ip ?? null,
        occurred_at: new Date(),
      } as never,
    });
  },

  async latestAction(identifier: string, channel: Channel): Promise<ConsentAction | null> {
    return this.latestActionOf(lookupHash(identifier), channel);
  },

  async latestActionOf(subjectHash: string, channel: Channel): Promise<ConsentAction | null> {
    const latest = await strapi.db.query(UID).findOne({
      where: { subject_hash: subjectHash, channel },
      orderBy: [{ occurred_at: 'desc' }, { id: 'desc' }],
      select: ['action'],
    });
    return (latest?.action as ConsentAction | undefined) ?? null;
  },

  /** True unless the latest word from this person on this channel was an opt-out. */
  async allows(identifier: string, channel: Channel) {
    return (await this.latestAction(identifier, channel)) !== 'opt_out';
  },

  /** `allows`, for a subject known by its keyed hash (an outbox row's recipient). */
  async allowsSubject(subjectHash: string, channel: Channel) {
    return (await this.latestActionOf(subjectHash, channel)) !== 'opt_out';
  },
}));
