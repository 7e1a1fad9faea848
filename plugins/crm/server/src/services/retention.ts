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
 * keep working. Purged rows no longer match, so a second run changes nothing.
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
    const result = { inbound, messages, batches, olderThan: cutoff.toISOString(), retentionDays: days };
    if (inbound + messages > 0) await strapi.db.transaction(() => recordAudit(strapi, { action: 'crm.retention', subject: 'crm.retention', id: null, details: result }));
    return result;
  },
});

export type RetentionService = ReturnType<typeof createRetention>;
export default createRetention;
