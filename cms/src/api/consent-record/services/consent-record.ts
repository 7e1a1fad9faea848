import { factories } from '@strapi/strapi';
import { auditActing, batchedByTurn, knexFor } from '@ovation/workers/jobs';
import { CONSENT_ERASURE_PERMITS, CONSENT_ERASURE_SETTING } from '../../../lib/constraints';
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
export default factories.createCoreService(UID, ({ strapi }) => {
  // The workers' check right before each send: the checks of one turn of the event loop in one query.
  const latestTogether = batchedByTurn(async (subjects: { subjectHash: string; channel: Channel }[]) => {
    const latest = new Map<string, ConsentAction>();
    for (const channel of new Set(subjects.map((subject) => subject.channel))) {
      const hashes = [...new Set(subjects.filter((subject) => subject.channel === channel).map((subject) => subject.subjectHash))];
      const rows = (await strapi.db
        .connection('consent_records')
        .where({ channel })
        .whereIn('subject_hash', hashes)
        .orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .select('subject_hash', 'action')) as { subject_hash: string; action: ConsentAction }[];
      for (const row of rows) if (!latest.has(`${channel}:${row.subject_hash}`)) latest.set(`${channel}:${row.subject_hash}`, row.action);
    }
    return subjects.map((subject) => latest.get(`${subject.channel}:${subject.subjectHash}`) ?? null);
  });

  return {
    /** Appends one record; the audit trail records it as `consent.opt-in` or `consent.opt-out`, in its transaction. */
    async record(entry: ConsentEntry) {
      const label = { action: entry.action === 'opt_in' ? ('consent.opt-in' as const) : ('consent.opt-out' as const), contentType: UID };
      return auditActing(strapi, { label }, () => strapi.documents(UID).create({
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
      }));
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

    /**
     * A fan erased (plugins/crm): every record of these subjects goes, and one opt-out of everything
     * per channel takes their place, so the number or address is never messaged again unless its
     * owner opts in anew. The hash is what a later STOP, join or send is matched by, so it stays. Only
     * inside the caller's transaction: the ledger's append-only rule lets these subjects' deletes
     * through for that transaction alone (lib/constraints.ts).
     */
    async eraseSubjects(subjects: { subjectHash: string; channel: Channel }[]) {
      if (!strapi.db.inTransaction()) throw new Error('eraseSubjects runs inside the erasure’s transaction');
      if (subjects.length === 0) return { removed: 0 };
      const knex = await knexFor(strapi);
      const hashes = [...new Set(subjects.map((subject) => subject.subjectHash))];
      if (strapi.db.dialect.client === 'postgres') await knex.raw('SELECT set_config(?, ?, true)', [CONSENT_ERASURE_SETTING, hashes.join(',')]);
      else await knex(CONSENT_ERASURE_PERMITS).insert(hashes.map((subject_hash) => ({ subject_hash })));
      const removed = await knex('consent_records').whereIn('subject_hash', hashes).delete();
      if (strapi.db.dialect.client === 'postgres') await knex.raw('SELECT set_config(?, ?, true)', [CONSENT_ERASURE_SETTING, '']);
      else await knex(CONSENT_ERASURE_PERMITS).whereIn('subject_hash', hashes).delete();
      const now = new Date();
      const label = { action: 'consent.opt-out' as const, contentType: UID };
      for (const subject of subjects) {
        await auditActing(strapi, { label }, () => strapi.documents(UID).create({
          data: { subject_hash: subject.subjectHash, channel: subject.channel, purpose: 'all', action: 'opt_out', source: 'erasure', evidence: null, ip: null, occurred_at: now } as never,
        }));
      }
      return { removed };
    },

    /** True unless the latest word from this person on this channel was an opt-out. */
    async allows(identifier: string, channel: Channel) {
      return (await this.latestAction(identifier, channel)) !== 'opt_out';
    },

    /** `allows`, for a subject known by its keyed hash (an outbox row's recipient); grouped with others outside a transaction. */
    async allowsSubject(subjectHash: string, channel: Channel) {
      const latest = strapi.db.inTransaction() ? await this.latestActionOf(subjectHash, channel) : await latestTogether({ subjectHash, channel });
      return latest !== 'opt_out';
    },
  };
});
