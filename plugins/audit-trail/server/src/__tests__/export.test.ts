/**
 * The export against the real app: CSV and NDJSON of the entries a filter selects, streamed from
 * keyset pages (200,000 entries with a cms process's memory held under a bound), recorded in the trail
 * before the first byte, for admins with read and export only; bad input answers 400 and nothing is
 * written through any of the plugin's routes.
 */
import fs from 'fs';
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { apiToken, bootStrapi, http } from '../../../../../cms/test/strapi';
import { startCms } from '../../../../../scripts/lib/cms-process';
import { freePort } from '../../../../../scripts/lib/ports';
import type { LedgerService } from '../services/ledger';
import type { RetentionService } from '../services/retention';
import { hashEntry, toRow, contentOf, type Entry, type EntryContent, type EntryRow } from '../utils/entry';
import { ENTRIES_TABLE, HEAD_TABLE } from '../utils/schema';
import { CSV_COLUMNS, csvField } from '../services/exports';
import { uniqueArtist } from './trail';

const ARTIST = 'api::artist.artist';
const RUN = Date.now().toString(36);
/** A name and slug no other artist of this run has. */
const unique = (label: string) => uniqueArtist('Export', label);

/**
 * The export's memory bound: the RSS growth of a cms process of its own (serving nothing else)
 * while 200,000 entries (216 MiB of NDJSON) stream out of it. Measured in the shared test process
 * (which also read the body) over nine runs: +4 to +80 MiB; in a full run whose process had grown
 * to 740 MiB, +195 MiB (V8 lets a big heap grow further before collecting), hence a process of its
 * own. Holding the rows, or the 216 MiB body, would pass the bound.
 */
const RSS_BOUND_BYTES = 128 * 1024 * 1024;
const BULK = 200_000;

/** Parses RFC 4180 CSV (quoted fields with "" for a quote, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 1);
    else field += char;
  }
  return rows;
}

describe('audit trail export', () => {
  let strapi: Core.Strapi;
  let ledger: LedgerService;
  let reader: Record<string, string>;
  let readOnly: Record<string, string>;

  /** Appends `count` entries of `contentType` to the chain as the ledger would (hashed and linked, the head moved), fast. */
  async function appendBulk(count: number, contentType: string) {
    await strapi.db.transaction(async ({ trx }) => {
      const head = await trx(HEAD_TABLE).where({ id: 1 }).forUpdate().first();
      let seq = Number(head.seq);
      let prevHash = head.hash as string;
      const occurredAt = new Date().toISOString();
      const bio = 'b'.repeat(300);
      // SQLite takes at most 500 rows in one INSERT.
      for (let start = 0; start < count; start += 400) {
        const rows: EntryRow[] = [];
        for (let i = start; i < Math.min(count, start + 400); i += 1) {
          seq += 1;
          const content: EntryContent = {
            seq,
            occurredAt,
            actor: { kind: 'script', id: null, name: 'bulk', origin: 'script', ip: null, userAgent: null, requestId: null },
            action: 'update',
            contentType,
            documentId: `bulk-${i}`,
            locale: null,
            outcome: 'success',
            diff: { before: { draft: { bio, n: i } }, after: { draft: { bio, n: i + 1 } } },
            error: null,
            prevHash,
          };
          const hash = hashEntry(content);
          rows.push(toRow({ ...content, hash }));
          prevHash = hash;
        }
        await trx(ENTRIES_TABLE).insert(rows);
      }
      await trx(HEAD_TABLE).where({ id: 1 }).update({ seq, hash: prevHash });
    });
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    ledger = strapi.plugin('audit-trail').service('ledger') as LedgerService;
    reader = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    // A role that reads the trail but may not export it.
    const role = await strapi.service('admin::role').create({ name: `Audit reader ${RUN}`, description: 'reads the audit trail' });
    await strapi.service('admin::role').assignPermissions(role.id, [{ action: 'plugin::audit-trail.read' }]);
    readOnly = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, role.code))}` };
  });

  it('exports the filtered entries as CSV and NDJSON, oldest first, exactly as stored, and records who exported what', async () => {
    const token = await strapi.service('admin::api-token').create({ name: `export-${RUN}`, type: 'full-access', lifespan: null });
    // A caller's user agent a spreadsheet would run as a formula, with a quote and a comma in it.
    const agent = '=HYPERLINK("http://evil.test/?x=1,2")';
    const created = await (await http()).post('/api/artists').set({ Authorization: `Bearer ${token.accessKey}`, 'User-Agent': agent }).send({ data: unique('csv') }).expect(201);
    const documentId = created.body.data.documentId as string;
    await (await http()).put(`/api/artists/${documentId}`).set({ Authorization: `Bearer ${token.accessKey}` }).send({ data: { genre: 'Salsa, "dura"\nnueva' } }).expect(200);
    const stored = (await strapi.db.connection(ENTRIES_TABLE).where({ document_id: documentId }).orderBy('seq', 'asc')) as EntryRow[];
    expect(stored).toHaveLength(2);

    const csv = await (await http()).get(`/audit-trail/export?format=csv&documentId=${documentId}&contentType=${ARTIST}`).set(reader).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="audit-trail-through-\d+\.csv"$/);
    // Up to the entry before the one that records this export.
    const [exported] = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'audit.export' }).orderBy('seq', 'desc').limit(1);
    expect(csv.headers['x-audit-trail-through']).toBe(String(Number(exported.seq) - 1));
    const [header, ...lines] = parseCsv(csv.text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(lines.map((line) => line[0])).toEqual(stored.map((row) => String(row.seq)));
    expect(lines[0][header.indexOf('user_agent')]).toBe(`'${agent}`);
    for (const [i, line] of lines.entries()) {
      for (const [c, column] of CSV_COLUMNS.entries()) {
        if (column !== 'user_agent') expect(line[c]).toBe(stored[i][column] === null ? '' : String(stored[i][column]));
      }
    }

    const ndjson = await (await http()).get(`/audit-trail/export?format=ndjson&documentId=${documentId}`).set(reader).expect(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const entries = ndjson.text.trim().split('\n').map((line) => JSON.parse(line) as Entry);
    expect(entries.map((entry) => entry.seq)).toEqual(stored.map((row) => Number(row.seq)));
    // Exact: each line's content hashes to its hash, as the chain has it.
    for (const entry of entries) expect(hashEntry(contentOf(entry))).toBe(entry.hash);
    expect(entries[0].actor.userAgent).toBe(agent);

    const [recorded] = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'audit.export' }).orderBy('seq', 'desc').limit(1);
    expect(recorded).toMatchObject({ actor_kind: 'admin', origin: 'admin', content_type: 'audit-trail', outcome: 'success' });
    expect(JSON.parse(recorded.diff).after).toEqual({ format: 'ndjson', filters: { documentId } });
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('answers 400 to unknown filters, formats and malformed dates, 403 without read and export, 401 without a session; no route writes', async () => {
    // Sessions and tokens first: signing in and creating a token are entries of their own.
    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };
    const fullAccess = { Authorization: `Bearer ${await apiToken(strapi, 'full-access')}` };
    const headBefore = await ledger.head();
    for (const query of ['', 'format=xml', 'format=csv&who=me', 'format=csv&from=yesterday', 'format=csv&to=2026-13-45', 'format=csv&limit=5', 'format=csv&cursor=abc', 'format=csv&action=erase']) {
      const res = await (await http()).get(`/audit-trail/export?${query}`).set(reader).expect(400);
      expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    }
    await (await http()).get('/audit-trail/export?format=csv').set(readOnly).expect(403);
    await (await http()).get('/audit-trail/entries').set(readOnly).expect(200);
    await (await http()).get('/audit-trail/export?format=csv').set(editor).expect(403);
    await (await http()).get('/audit-trail/export?format=csv').expect(401);
    await (await http()).get('/api/audit-trail/export?format=csv').set(fullAccess).expect(404);
    // Refused requests record nothing and change nothing.
    expect(await ledger.head()).toEqual(headBefore);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      for (const route of ['/audit-trail/export', '/audit-trail/entries', '/audit-trail/checkpoints']) {
        expect([404, 405]).toContain((await (await http())[method](route).set(reader).send({ seq: 1 })).status);
      }
    }
    expect(await ledger.head()).toEqual(headBefore);
  });

  it('makes no export it cannot record (500, and not a row of the trail leaves)', async () => {
    const knex = strapi.db.connection;
    const isPostgres = strapi.db.dialect.client === 'postgres';
    await knex.raw(
      isPostgres
        ? `CREATE TRIGGER audit_test_refuse_export BEFORE INSERT ON ${ENTRIES_TABLE} FOR EACH ROW WHEN (NEW.action = 'audit.export') EXECUTE FUNCTION audit_trail_refuse_change()`
        : `CREATE TRIGGER audit_test_refuse_export BEFORE INSERT ON ${ENTRIES_TABLE} WHEN NEW.action = 'audit.export' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
    );
    try {
      const res = await (await http()).get('/audit-trail/export?format=ndjson').set(reader);
      expect(res.status).toBe(500);
      expect(res.text).not.toContain('"prevHash"');
    } finally {
      await knex.raw(isPostgres ? `DROP TRIGGER audit_test_refuse_export ON ${ENTRIES_TABLE}` : 'DROP TRIGGER audit_test_refuse_export');
    }
  });

  it(`streams ${BULK.toLocaleString('en')} entries with the serving cms's RSS growing less than ${RSS_BOUND_BYTES / 1024 / 1024} MiB`, async () => {
    const contentType = `test::bulk-${RUN}`;
    await appendBulk(BULK, contentType);
    const cms = await startCms({ SERVE_ADMIN: 'false', LOG_LEVEL: 'warn' }, await freePort());
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${cms.process.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    const url = `${cms.url}/audit-trail/export?format=ndjson&contentType=${encodeURIComponent(contentType)}`;

    let before = 0;
    let peak = 0;
    let sampler: NodeJS.Timeout | undefined;
    let bytes = 0;
    let lines = 0;
    let quarter = 0;
    try {
      before = rss();
      peak = before;
      sampler = setInterval(() => (peak = Math.max(peak, rss())), 10);
      const res = await fetch(url, { headers: reader });
      expect(res.status).toBe(200);
      const body = res.body!.getReader();
      for (;;) {
        const { done, value } = await body.read();
        if (done) break;
        bytes += value.length;
        for (const byte of value) if (byte === 10) lines += 1;
        if (lines >= BULK / 4 && quarter === 0) quarter = peak;
      }
      peak = Math.max(peak, rss());
    } finally {
      clearInterval(sampler);
      await cms.stop();
    }
    const growth = peak - before;
    console.log(`export of ${lines} entries: ${(bytes / 1024 / 1024).toFixed(1)} MiB streamed, the cms's RSS ${(before / 1024 / 1024).toFixed(0)} → peak ${(peak / 1024 / 1024).toFixed(0)} MiB (+${(growth / 1024 / 1024).toFixed(1)} MiB; peak at a quarter ${(quarter / 1024 / 1024).toFixed(0)} MiB)`);
    expect(lines).toBe(BULK);
    // The bound means something: the export is larger than it, so it cannot have been held whole.
    expect(bytes).toBeGreaterThan(RSS_BOUND_BYTES);
    expect(growth).toBeLessThan(RSS_BOUND_BYTES);

    // The bulk goes as retention would take it (as if 365 days had passed), leaving the chain short for
    // the tests after; a week more, for the entries other files wrote with their clock moved forward.
    const retention = strapi.plugin('audit-trail').service('retention') as RetentionService;
    const purged = await retention.purge({ now: new Date(Date.now() + (365 + 7) * 86_400_000), days: 365 });
    expect(purged.purged).toBeGreaterThanOrEqual(BULK);
    expect(purged.batches).toBeGreaterThanOrEqual(BULK / 10_000);
    expect(await ledger.verify()).toMatchObject({ ok: true });
  }, 600_000);
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)']) expect(csvField(formula)).toBe(`'${formula}`);
  });
});
