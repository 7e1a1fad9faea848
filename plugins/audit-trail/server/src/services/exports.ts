import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import { fromRow, type EntryRow } from '../utils/entry';
import type { ExportFilters } from '../utils/filters';
import { getService } from '../utils/get-service';
import { ENTRIES_TABLE } from '../utils/schema';
import { whereFilters } from './entries';

/** Rows read per query: the most of the trail an export holds in memory at once. */
export const EXPORT_PAGE = 1_000;

/** The CSV's columns: the row as stored, `diff` and `error` as their canonical JSON text. */
export const CSV_COLUMNS = [
  'seq', 'occurred_at', 'actor_kind', 'actor_id', 'actor_name', 'origin', 'ip', 'user_agent', 'request_id',
  'action', 'content_type', 'document_id', 'locale', 'outcome', 'diff', 'error', 'prev_hash', 'hash',
] as const satisfies readonly (keyof EntryRow)[];

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). A text a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first: a user agent is the caller's to choose) gets a
 * leading apostrophe; NDJSON is the exact form.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FORMATS = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    header: `${CSV_COLUMNS.join(',')}\r\n`,
    line: (row: EntryRow) => `${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`,
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    header: '',
    // An entry as GET /audit-trail/entries serves it, one per line.
    line: (row: EntryRow) => `${JSON.stringify(fromRow(row))}\n`,
  },
} as const;

const createExports = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * The entries the filters select, oldest first, up to the entry that records this export (who
   * exported what): that entry is written first, so an export that cannot be recorded does not
   * happen. Read in keyset pages of EXPORT_PAGE rows as the client takes them (the stream pulls the
   * next page only when the response has room), so memory stays flat however many rows there are.
   */
  async start({ format, ...filters }: ExportFilters) {
    const recorded = await getService(strapi, 'ledger').record({ action: 'audit.export', subject: 'audit-trail', id: null, details: { format, filters } });
    const through = recorded.seq - 1;
    const { header, line, contentType } = FORMATS[format];
    const knex = strapi.db.connection;
    async function* pages() {
      if (header) yield header;
      let after = 0;
      for (;;) {
        const query = knex(ENTRIES_TABLE).where('seq', '>', after).where('seq', '<=', through).orderBy('seq', 'asc').limit(EXPORT_PAGE);
        const rows = (await whereFilters(query, filters)) as EntryRow[];
        if (!rows.length) return;
        yield rows.map(line).join('');
        after = Number(rows[rows.length - 1].seq);
      }
    }
    return {
      contentType,
      filename: `audit-trail-through-${through}.${format === 'csv' ? 'csv' : 'ndjson'}`,
      through,
      stream: Readable.from(pages(), { objectMode: false }),
    };
  },
});

export type ExportsService = ReturnType<typeof createExports>;
export default createExports;
