import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { csvLine } from '@ovation/workers/jobs';
import type { ExportFormat, ExportKind } from '../../../shared/contracts/privacy';
import { TABLES } from '../segments/tables';
import { fans as fanDirectory, recordAudit } from '../utils/cms';

export type ExportFilters = { event?: string; from?: Date; to?: Date };
type Row = Record<string, unknown>;
type Cell = string | number | null;

/** Rows fetched from the cursor at a time: the export never holds more than this in memory. */
const BATCH = 500;
const CURSOR = 'crm_export';

/** Per event: its slug and whether its privacy mode is on (any of its rows saying so: the safe side). */
const eventsView = (knex: Knex) =>
  knex('events').groupBy('document_id').select('document_id', knex.raw('MAX(slug) AS slug'), knex.raw("MAX(CASE WHEN privacy_mode = 'anonymous' THEN 1 ELSE 0 END) AS anonymous")).as('e');
const roundsView = (knex: Knex) => knex('rounds').groupBy('document_id').select('document_id', knex.raw('MAX(event_ref) AS event_ref'), knex.raw('MAX(number) AS number'));

/** Each export's query, its columns, and which of them are contact details (dropped under privacy mode). */
const KINDS: Record<ExportKind, { columns: string[]; contact: string[]; query(knex: Knex, filters: ExportFilters): Knex.QueryBuilder }> = {
  attendees: {
    columns: ['fan', 'event', 'event_slug', 'source', 'joined_at', 'language', 'country', 'phone', 'email'],
    contact: ['phone', 'email'],
    query: (knex, filters) =>
      dated(knex(`${TABLES.attendances} as a`), 'a', filters)
        .leftJoin(eventsView(knex), 'e.document_id', 'a.event_ref')
        .leftJoin(`${TABLES.fans} as f`, 'f.document_id', 'a.fan_ref')
        .modify((q) => (filters.event ? q.where('a.event_ref', filters.event) : q))
        .orderBy('a.id')
        .select('a.fan_ref as fan', 'a.event_ref as event', 'e.slug as event_slug', 'a.source', 'a.created_at as joined_at', 'f.language', 'f.country', 'f.phone_encrypted', 'f.email_encrypted', 'e.anonymous'),
  },
  votes: {
    columns: ['fan', 'event', 'event_slug', 'round', 'round_number', 'entry', 'vote_code', 'channel', 'voted_at'],
    contact: [],
    query: (knex, filters) =>
      dated(knex(`${TABLES.votes} as v`), 'v', filters)
        .leftJoin(eventsView(knex), 'e.document_id', 'v.event_ref')
        .leftJoin(roundsView(knex).as('r'), 'r.document_id', 'v.round_ref')
        .modify((q) => (filters.event ? q.where('v.event_ref', filters.event) : q))
        .orderBy('v.id')
        .select('v.fan_ref as fan', 'v.event_ref as event', 'e.slug as event_slug', 'v.round_ref as round', 'r.number as round_number', 'v.entry_ref as entry', 'v.vote_code', 'v.channel', 'v.created_at as voted_at', 'e.anonymous'),
  },
  messages: {
    columns: ['message', 'fan', 'event', 'channel', 'purpose', 'topic', 'state', 'recipient', 'sent_at', 'created_at'],
    contact: ['recipient'],
    query: (knex, filters) => {
      // A message belongs to an event through its campaign (`campaign:<id>`) or its round's notification (`round-open:<round>`).
      const eventOf = 'COALESCE(c.event_ref, r.event_ref)';
      const eventRef = knex.raw(eventOf);
      return dated(knex(`${TABLES.messages} as m`), 'm', filters)
        .leftJoin(`${TABLES.campaigns} as c`, 'm.topic', knex.raw("'campaign:' || c.id"))
        .leftJoin(roundsView(knex).as('r'), 'm.topic', knex.raw("'round-open:' || r.document_id"))
        .leftJoin(eventsView(knex), (join) => join.on('e.document_id', '=', eventRef))
        .leftJoin(`${TABLES.fans} as fp`, 'fp.phone_hash', 'm.recipient_hash')
        .leftJoin(`${TABLES.fans} as fe`, 'fe.email_hash', 'm.recipient_hash')
        .modify((q) => (filters.event ? q.whereRaw(`${eventOf} = ?`, [filters.event]) : q))
        .orderBy('m.id')
        .select('m.id as message', knex.raw('COALESCE(fp.document_id, fe.document_id) AS fan'), knex.raw(`${eventOf} AS event`), 'm.channel', 'm.purpose', 'm.topic', 'm.state', 'm.recipient_masked as recipient', 'm.sent_at', 'm.created_at', 'e.anonymous');
    },
  },
};

/** From (inclusive) and to (exclusive: the controller makes a date's `to` the next midnight), on the row's creation. */
function dated(query: Knex.QueryBuilder, alias: string, filters: ExportFilters) {
  if (filters.from) query.where(`${alias}.created_at`, '>=', filters.from);
  if (filters.to) query.where(`${alias}.created_at`, '<', filters.to);
  return query;
}

const isoOrText = (value: unknown): Cell => (value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : typeof value === 'number' ? value : String(value));

/**
 * Exports of attendees, votes and messages, as CSV or JSON, streamed from a database cursor (never
 * the whole result in memory). Rows of an event whose privacy mode is on carry a pseudonym instead of
 * the fan's id (an HMAC with a key made for this export and then forgotten, so two exports cannot be
 * joined) and no contact details; an export of such an event has no contact columns at all.
 */
const createExports = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  /** The rows of the query, BATCH at a time: a server-side cursor on PostgreSQL, pages on SQLite. */
  async function* cursor(query: Knex.QueryBuilder): AsyncGenerator<Row> {
    if (strapi.db.dialect.client !== 'postgres') {
      for (let offset = 0; ; offset += BATCH) {
        const rows = (await query.clone().limit(BATCH).offset(offset)) as Row[];
        yield* rows;
        if (rows.length < BATCH) return;
      }
    }
    const trx = await knex().transaction();
    try {
      const { sql, bindings } = query.toSQL();
      await trx.raw(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`, bindings as readonly Knex.Value[]);
      for (;;) {
        const { rows } = (await trx.raw(`FETCH ${BATCH} FROM ${CURSOR}`)) as { rows: Row[] };
        yield* rows;
        if (rows.length < BATCH) break;
      }
      await trx.commit();
    } finally {
      // A client gone mid-download ends the generator here: the cursor's transaction goes with it.
      if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
    }
  }

  return {
    /** The event's privacy mode, or a 404 naming the event when there is no such event. */
    async eventIsAnonymous(documentId: string) {
      const row = (await knex()('events').where({ document_id: documentId }).max({ anonymous: knex().raw("CASE WHEN privacy_mode = 'anonymous' THEN 1 ELSE 0 END") }).count({ n: '*' }).first()) as Row | undefined;
      if (!row || Number(row.n) === 0) throw new errors.NotFoundError(`No event ${documentId}`);
      return Number(row.anonymous) === 1;
    },

    /**
     * Opens one export: recorded in the audit trail (`crm.export`: what, which filters, by whom),
     * then its text produced chunk by chunk as the cursor is read.
     */
    async open(kind: ExportKind, format: ExportFormat, filters: ExportFilters) {
      const definition = KINDS[kind];
      const wholeEventAnonymous = filters.event ? await this.eventIsAnonymous(filters.event) : false;
      const columns = wholeEventAnonymous ? definition.columns.filter((column) => !definition.contact.includes(column)) : definition.columns;
      const key = crypto.randomBytes(32);
      const pseudonym = (ref: string) => `p-${crypto.createHmac('sha256', key).update(ref).digest('base64url').slice(0, 16)}`;
      const directory = fanDirectory(strapi);
      const shape = (row: Row): Record<string, Cell> => {
        const anonymous = Number(row.anonymous) === 1;
        const out: Record<string, Cell> = {};
        for (const column of columns) {
          if (anonymous && definition.contact.includes(column)) out[column] = null;
          else if (column === 'fan') out.fan = row.fan ? (anonymous ? pseudonym(String(row.fan)) : String(row.fan)) : null;
          else if (column === 'phone') out.phone = row.phone_encrypted ? directory.phoneOf(row as { phone_encrypted: string }) : null;
          else if (column === 'email') out.email = row.email_encrypted ? directory.emailOf(row as { email_encrypted: string }) : null;
          else if (column === 'round_number' || column === 'message') out[column] = row[column] === null || row[column] === undefined ? null : Number(row[column]);
          else out[column] = isoOrText(row[column]);
        }
        return out;
      };
      await strapi.db.transaction(() =>
        recordAudit(strapi, {
          action: 'crm.export',
          subject: `crm.${kind}`,
          id: null,
          details: { format, event: filters.event ?? null, from: filters.from?.toISOString() ?? null, to: filters.to?.toISOString() ?? null },
        })
      );
      const rows = cursor(definition.query(knex(), filters));
      async function* lines(): AsyncGenerator<string> {
        if (format === 'csv') {
          yield csvLine(columns);
          for await (const row of rows) yield csvLine(Object.values(shape(row)));
          return;
        }
        let first = true;
        yield '[';
        for await (const row of rows) {
          yield `${first ? '' : ','}\n${JSON.stringify(shape(row))}`;
          first = false;
        }
        yield '\n]\n';
      }
      // Lines gathered into chunks of about 64 KB: one write per chunk, not per row.
      async function* chunks(): AsyncGenerator<string> {
        let buffer = '';
        for await (const line of lines()) {
          buffer += line;
          if (buffer.length >= 65_536) {
            yield buffer;
            buffer = '';
          }
        }
        if (buffer) yield buffer;
      }
      return { columns, text: chunks() };
    },
  };
};

export type ExportsService = ReturnType<typeof createExports>;
export default createExports;
