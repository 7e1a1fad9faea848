/**
 * The retention purge against the real app: entries older than the cut-off go, a signed checkpoint of
 * the last one purged keeps the rest verifiable, the purge is recorded, and the append-only trigger
 * lets nothing else delete an entry: not another transaction, not the purge's own past its range.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { scheduledPurgeJob } from '../../../../../workers/src/audit/schedule';
import { startWorkerPool, storeOf, until } from '../../../../../workers/src/__tests__/pool';
import { providersFromEnv } from '../../../../../workers/src/providers';
import type { LedgerService } from '../services/ledger';
import type { RetentionService } from '../services/retention';
import type { EntryRow } from '../utils/entry';
import { CHECKPOINTS_TABLE, ENTRIES_TABLE, PURGE_PERMIT_TABLE, PURGE_SETTING } from '../utils/schema';
import { retainedEntries, runScript, uniqueArtist, withoutTrigger } from './trail';

const ARTIST = 'api::artist.artist';
const DAY_MS = 86_400_000;
/** A name and slug no other artist of this run has. */
const unique = (label: string) => uniqueArtist('Retention', label);

describe('audit trail retention', () => {
  let strapi: Core.Strapi;
  let ledger: LedgerService;
  let retention: RetentionService;
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const entriesOf = (documentId: string) => strapi.db.connection(ENTRIES_TABLE).where({ document_id: documentId }) as Promise<EntryRow[]>;

  beforeAll(async () => {
    strapi = await bootStrapi();
    ledger = strapi.plugin('audit-trail').service('ledger') as LedgerService;
    retention = strapi.plugin('audit-trail').service('retention') as RetentionService;
    // Other files move the process's clock forward (fake timers) while they write entries, and a purge
    // stops at the first entry it must keep: the chain so far goes first, so this file's own cut-offs
    // are the only ones that matter.
    await retention.purge({ now: new Date(Date.now() + 7 * DAY_MS), days: 0 });
  });

  it('purges the entries older than the retention, anchored by a signed checkpoint, recorded, and the rest still verifies', async () => {
    const old = await strapi.documents(ARTIST).create({ data: unique('old') });
    const [oldEntry] = await entriesOf(old.documentId);
    // The cut-off falls after this entry and before the next.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cutOff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const young = await strapi.documents(ARTIST).create({ data: unique('young') });
    const lastOld = (await strapi.db.connection(ENTRIES_TABLE).where('occurred_at', '<', cutOff.toISOString()).orderBy('seq', 'desc').first()) as EntryRow;
    expect(Number(lastOld.seq)).toBeGreaterThanOrEqual(Number(oldEntry.seq));

    const checkpointsBefore = (await strapi.db.connection(CHECKPOINTS_TABLE).select('id')).length;
    // Retention of 30 days, as seen 30 days after the cut-off.
    const result = await retention.purge({ now: new Date(cutOff.getTime() + 30 * DAY_MS), days: 30 });
    expect(result).toMatchObject({ through: Number(lastOld.seq), olderThan: cutOff.toISOString() });
    expect(result.purged).toBeGreaterThan(0);
    expect(await entriesOf(old.documentId)).toEqual([]);
    expect(await entriesOf(young.documentId)).toHaveLength(1);

    // Checkpoints are never purged: one more per batch of the purge, each the anchor of its batch.
    expect((await strapi.db.connection(CHECKPOINTS_TABLE).select('id')).length).toBe(checkpointsBefore + result.batches);
    const [anchor] = await strapi.db.connection(CHECKPOINTS_TABLE).where({ seq: lastOld.seq, reason: 'purge' });
    expect(anchor.hash).toBe(lastOld.hash);
    // One entry per batch (10,000 entries each: an earlier test may have left many), their ranges end to end.
    const purges = ((await strapi.db.connection(ENTRIES_TABLE).where({ action: 'audit.purge' }).orderBy('seq', 'desc').limit(result.batches)) as EntryRow[]).reverse();
    const ranges = purges.map((entry) => JSON.parse(entry.diff).after as { from: number; through: number; entries: number });
    expect(ranges[0].from).toBe(result.from);
    for (let i = 1; i < ranges.length; i += 1) expect(ranges[i].from).toBe(ranges[i - 1].through + 1);
    expect(ranges.reduce((sum, range) => sum + range.entries, 0)).toBe(result.purged);
    const purge = purges[purges.length - 1];
    expect(purge).toMatchObject({ content_type: 'audit-trail', document_id: `${ranges[ranges.length - 1].from}-${result.through}`, actor_kind: 'script' });
    expect(JSON.parse(purge.diff).after).toMatchObject({
      through: result.through,
      olderThan: cutOff.toISOString(),
      retentionDays: 30,
      checkpoint: { seq: Number(lastOld.seq), head: lastOld.hash },
    });

    const report = await ledger.verify();
    expect(report).toMatchObject({ ok: true, from: Number(lastOld.seq) + 1, verified: await retainedEntries(strapi) });
    const cli = await runScript('audit:verify');
    expect(cli.output).toContain(`(from entry ${Number(lastOld.seq) + 1}: older ones purged by retention)`);
    expect(cli.code).toBe(0);

    // Run again: nothing older is left, nothing is recorded.
    const head = await ledger.head();
    expect(await retention.purge({ now: new Date(cutOff.getTime() + 30 * DAY_MS), days: 30 })).toMatchObject({ purged: 0 });
    expect(await ledger.head()).toEqual(head);
  });

  it('names entries removed past the purge, and refuses every delete but the purge’s own range', async () => {
    const { from } = await ledger.verify();
    const first = (await strapi.db.connection(ENTRIES_TABLE).where({ seq: from }).first()) as EntryRow;

    // Someone removes the oldest entry that remains, as if the purge had: the gap is named.
    await withoutTrigger(strapi, (knex) => knex(ENTRIES_TABLE).where({ seq: from }).delete());
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: from, kind: 'missing' } });
    await withoutTrigger(strapi, (knex) => knex(ENTRIES_TABLE).insert(first));
    expect(await ledger.verify()).toMatchObject({ ok: true });
    // An entry put back before the retained chain (where the purge removed everything) is named.
    await strapi.db.connection(ENTRIES_TABLE).insert({ ...first, seq: from - 1, hash: 'd'.repeat(64) });
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: from - 1, kind: 'inserted' } });
    await withoutTrigger(strapi, (knex) => knex(ENTRIES_TABLE).where({ seq: from - 1 }).delete());
    expect(await ledger.verify()).toMatchObject({ ok: true });

    // The purge's exception covers its own transaction and range only.
    const knex = strapi.db.connection;
    await expect(
      knex.transaction(async (trx) => {
        if (isPostgres()) await trx.raw('SELECT set_config(?, ?, true)', [PURGE_SETTING, String(from - 1)]);
        else await trx(PURGE_PERMIT_TABLE).insert({ through: from - 1 });
        await trx(ENTRIES_TABLE).where({ seq: from }).delete();
      })
    ).rejects.toThrow(/append-only/);
    await expect(knex(ENTRIES_TABLE).where({ seq: from }).delete()).rejects.toThrow(/append-only/);
    await expect(knex(CHECKPOINTS_TABLE).delete()).rejects.toThrow(/append-only/);
    await expect(knex(CHECKPOINTS_TABLE).update({ reason: 'manual' })).rejects.toThrow(/append-only/);
    if (isPostgres()) await expect(knex.raw(`TRUNCATE ${CHECKPOINTS_TABLE}`)).rejects.toThrow(/append-only/);
    expect(await ledger.verify()).toMatchObject({ ok: true, from });
  });

  it('the daily job purges as the audit.purge job, with AUDIT_RETENTION_DAYS (365: nothing here is that old)', async () => {
    const pool = startWorkerPool({ strapi, providers: providersFromEnv({}), names: ['audit.purge'] });
    try {
      const job = scheduledPurgeJob(new Date(Date.now() - 60_000));
      // Written beforehand (as the schedule does), so the sweeper hands it over now that it is due.
      const [{ id }] = await storeOf(strapi).insert([job], new Date(Date.now() - 120_000));
      await until(async () => (await strapi.db.connection('ops_jobs').where({ id }).first('state')).state === 'done', 30_000, 'the purge job done');
      const done = await strapi.db.connection('ops_jobs').where({ id }).first('result');
      const result = typeof done.result === 'string' ? JSON.parse(done.result) : done.result;
      expect(result).toMatchObject({ slot: job.payload.slot, purged: 0 });
      expect(new Date(result.olderThan).getTime()).toBeLessThan(Date.now() - 364 * DAY_MS);
    } finally {
      await pool.stop();
    }
  });
});

