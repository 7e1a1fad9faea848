import type { Core } from '@strapi/strapi';
import { TABLES } from '../segments/tables';
import { pluginConfig } from '../utils/plugin-config';
import { recordAudit } from '../utils/cms';

const DAY_MS = 86_400_000;
/** Rows changed per statement: each batch is its own short transaction, so a first purge of years never holds locks for long. */
export const RETENTION_BATCH = 1_000;
/** Outbox states a message never leaves: only those are purged (a queued message still needs its body). */
const SETTLED = ['sent', 'failed', 'suppressed', 'unknown'];

/**
 * Retention (`CRM_RETENTION_DAYS`): the body of every inbound SMS, and the content and recipient of
 * every settled outbox message, older than the cut-off are purged, in batches. The rows stay, so
 * counts, delivery states, Twilio's MessageSid de-duplication and the outbox's exactly-once keys
 * keep working. Purged rows no longer match, so a second run changes nothing. Email sign-ups go
 * once their confirmation link has expired.
 */
const createRetention = ({ strapi }: { strapi: Core.Strapi }) => ({
  async purge(now = new Date()) {
    const days = pluginConfig(strapi).retentionDays;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const knex = strapi.db.connection;
    const inRange = (table: string, purgeable: (query: ReturnType<typeof knex>) => unknown) =>
      knex(table).where('created_at', '<', cutoff).where(purgeable as never).orderBy('id').limit(RETENTION_BATCH).select('id');
    let inbound = 0;
    let messages = 0;
    let batches = 0;
    for (;;) {
      const ids = (await inRange(TABLES.inbound, (q) => q.whereNotNull('body').orWhereNotNull('reply').orWhereNotNull('from_hash'))).map((row: { id: number }) => row.id);
      if (ids.length === 0) break;
      inbound += await knex(TABLES.inbound).whereIn('id', ids).update({ body: null, reply: null, from_hash: null });
      batches += 1;
    }
    for (;;) {
      const ids = (await inRange(TABLES.messages, (q) => q.whereNot('body', '').orWhereNotNull('recipient_encrypted').orWhereNotNull('subject'))
        .whereIn('state', SETTLED)).map((row: { id: number }) => row.id);
      if (ids.length === 0) break;
      messages += await knex(TABLES.messages).whereIn('id', ids).update({ body: '', subject: null, recipient_encrypted: null, error: null });
      batches += 1;
    }
    // Email sign-ups whose link has expired, followed or not, whatever their age: an address and an
    // IP kept for nothing (a confirmed one's opt-in and its evidence are in the consent ledger).
    let signups = 0;
    for (;;) {
      const ids = (await knex(TABLES.emailSignups).where('expires_at', '<', now).orderBy('id').limit(RETENTION_BATCH).select('id')).map((row: { id: number }) => row.id);
      if (ids.length === 0) break;
      signups += await knex(TABLES.emailSignups).whereIn('id', ids).delete();
      batches += 1;
    }
    const result = { inbound, messages, signups, batches, olderThan: cutoff.toISOString(), retentionDays: days };
    if (inbound + messages + signups > 0) await strapi.db.transaction(() => recordAudit(strapi, { action: 'crm.retention', subject: 'crm.retention', id: null, details: result }));
    return result;
  },
});

export type RetentionService = ReturnType<typeof createRetention>;
export default createRetention;
