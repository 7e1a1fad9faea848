import type { Core } from '@strapi/strapi';
import { knexFor } from '../utils/db';
import { newDocumentId } from '../utils/ids';
import { TABLES, rowStamps } from '../utils/tables';
import type { EventSummary } from './directory';

export type JoinResult = 'joined' | 'already_joined' | 'full';

/**
 * Event attendance: one row per fan per event (a unique index), and never more rows than the event's
 * capacity, however many fans join at once: joins to one event take a transaction-scoped lock
 * (PostgreSQL advisory lock; SQLite has one writer at a time) before counting.
 */
const createAttendance = ({ strapi }: { strapi: Core.Strapi }) => ({
  async join(event: EventSummary, fanRef: string, source: 'sms' | 'web' | 'admin' = 'sms'): Promise<JoinResult> {
    return strapi.db.transaction(async ({ trx }) => {
      const existing = await trx(TABLES.attendances).where({ event_ref: event.documentId, fan_ref: fanRef }).first('id');
      if (existing) return 'already_joined';

      if (event.capacity !== null && event.capacity !== undefined) {
        if (strapi.db.dialect.client === 'postgres') {
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`attendance:${event.documentId}`]);
        }
        const row = await trx(TABLES.attendances).where({ event_ref: event.documentId }).count({ count: '*' }).first();
        if (Number(row?.count ?? 0) >= event.capacity) return 'full';
      }

      const inserted = await trx(TABLES.attendances)
        .insert({ ...rowStamps(newDocumentId()), event_ref: event.documentId, fan_ref: fanRef, source })
        .onConflict(['event_ref', 'fan_ref'])
        .ignore()
        .returning('id');
      return inserted.length > 0 ? 'joined' : 'already_joined';
    });
  },

  async count(eventRef: string) {
    const row = await (await knexFor(strapi))(TABLES.attendances).where({ event_ref: eventRef }).count({ count: '*' }).first();
    return Number(row?.count ?? 0);
  },

  /** The events this fan joined, most recent first. */
  async eventsOf(fanRef: string): Promise<string[]> {
    const rows = await (await knexFor(strapi))(TABLES.attendances).where({ fan_ref: fanRef }).orderBy('id', 'desc').select('event_ref');
    return rows.map((row: { event_ref: string }) => row.event_ref);
  },
});

export type AttendanceService = ReturnType<typeof createAttendance>;
export default createAttendance;
