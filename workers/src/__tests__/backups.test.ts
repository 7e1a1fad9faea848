import { spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi } from '../../../cms/test/strapi';
import { REPO_DIR } from '../../../scripts/lib/build';
import { createScratchDatabase } from '../../../scripts/lib/database';
import { startS3Server, type S3Server } from '../../../scripts/lib/s3-server';
import { startWorkerProcess, type WorkerProcess } from '../../../scripts/lib/worker-process';
import { listBackups } from '../backup/catalogue';
import { backupIdFor, type BackupManifest } from '../backup/manifest';
import { nextBackupSlot, scheduledBackupJob } from '../backup/schedule';
import { createBackupService } from '../backup/service';
import { DEFAULT_BACKUP_CRON } from '../backup/settings';
import { createBackupStorage } from '../backup/storage';
import { verifyPostgresBackup } from '../backup/verify';
import { until } from './pool';

const BUCKET = 'ovation-backups-test';
const KEY = crypto.randomBytes(32).toString('base64');
let sequence = 0;
const nextId = (origin: string) => backupIdFor(new Date(Date.now() + (sequence += 1) * 1000), `${origin}-${sequence}`);

/** Every table's row count and an MD5 over its sorted rows, computed here, independently of the backup code. */
async function fingerprint(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      "SELECT schemaname AS schema, tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    );
    const result: Record<string, string> = {};
    for (const { schema, name } of tables) {
      const { rows } = await client.query(`SELECT count(*) AS n, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS sum FROM "${schema}"."${name}" t`);
      result[schema === 'public' ? name : `${schema}.${name}`] = `${rows[0].n}:${rows[0].sum}`;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** `npm run restore -- …` (or `backup`) as a process: its exit code and everything it printed. */
function restoreCli(args: string[], env: Record<string, string>, script = 'restore.ts') {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.join(REPO_DIR, 'node_modules', '.bin', 'tsx'), [path.join(REPO_DIR, 'scripts', script), ...args], {
      cwd: REPO_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Backups through the real worker process and the real CLI, to a real S3 server (moto) of the test's
 * own, on the test run's PostgreSQL database.
 */
describe.runIf(process.env.DATABASE_URL)('backups (PostgreSQL, real S3 server)', () => {
  let strapi: Core.Strapi;
  let s3: S3Server;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const scratch: { drop(): Promise<void> }[] = [];

  const storage = () => createBackupStorage({ bucket: BUCKET, s3: { endpoint: s3.endpoint, region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test', forcePathStyle: true } });
  const startWorker = async () => {
    const worker = await startWorkerProcess({ ...env, WORKER_JOBS: 'backup.run', JOB_LEASE_MS: '2000', JOB_SWEEP_INTERVAL_MS: '250' });
    workers.push(worker);
    return worker;
  };
  const enqueue = async (backupId: string) => {
    await strapi.plugin('ops').service('jobs').enqueue('backup.run', { backupId }, { key: `backup.run:test:${backupId}` });
    return backupId;
  };
  const job = (backupId: string) => strapi.db.connection('ops_jobs').where({ idempotency_key: `backup.run:test:${backupId}` }).first();
  const newDatabase = async (label: string) => {
    const database = await createScratchDatabase(process.env.DATABASE_URL as string, label);
    scratch.push(database);
    return database;
  };

  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);
    s3 = await startS3Server();
    await s3.createBucket(BUCKET);
    env = { ...s3.env('ovation-uploads-unused'), BACKUP_S3_BUCKET: BUCKET, BACKUP_ENCRYPTION_KEY: KEY, BACKUP_RETRY_BACKOFF_MS: '3000' };
    await startWorker();
  }, 180_000);

  afterAll(async () => {
    if (process.env.BACKUPS_DEBUG) fs.writeFileSync(process.env.BACKUPS_DEBUG, workers.map((worker) => worker.output()).join('\n----\n'));
    await Promise.all(workers.map((worker) => worker.stop()));
    for (const database of scratch) await database.drop().catch(() => undefined);
    await s3?.stop();
  });

  let backupId: string;
  let manifest: BackupManifest;
  /** Enough incompressible rows that an upload is still under way when a fault is injected. */
  const ballast = (table: string) => strapi.db.connection.raw(`CREATE TABLE ${table} AS SELECT g.n, decode((SELECT string_agg(md5(random()::text || g.n || k.m), '') FROM generate_series(1, 16) AS k(m)), 'hex') AS filler FROM generate_series(1, 120000) AS g(n)`);

  it('backs up the seeded database through a worker: encrypted in S3, verified, restored by the CLI with every table equal', async () => {
    // API tokens used by earlier files are counted in memory and written every 5 seconds: written now,
    // so no count lands between the snapshot and the comparison below.
    await (strapi.plugin('ops').service('tokens') as { flush(): Promise<void> }).flush();
    backupId = await enqueue(nextId('main'));
    await until(async () => (await job(backupId))?.state === 'done', 120_000, 'backup job done');
    const row = await job(backupId);
    const result = typeof row.result === 'string' ? JSON.parse(row.result) : row.result;
    expect(result).toMatchObject({ backupId, verified: true });

    const store = storage();
    const [listed] = (await listBackups(store)).filter((backup) => backup.id === backupId);
    expect(listed).toMatchObject({ id: backupId, status: 'verified', engine: 'postgresql', verification: { ok: true, mismatches: 0 } });
    manifest = (await store.manifest(backupId)) as BackupManifest;
    expect(manifest.serverVersion).toMatch(/^\d+/);
    expect(manifest.tables.find((table) => table.table === 'events')?.rows).toBeGreaterThan(0);
    expect(manifest.tables.find((table) => table.table === 'artists')?.rows).toBeGreaterThan(0);

    // Nothing readable leaves the machine: no table name, no artist's name in the stored bytes.
    const object = await store.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: store.keys(backupId).dump }));
    const bytes = Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    expect(bytes.length).toBe(manifest.object.bytes);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(manifest.object.sha256);
    const artist = (await strapi.db.connection('artists').first('name')) as { name: string };
    for (const text of ['CREATE TABLE', 'ops_jobs', 'PGDMP', artist.name]) expect(bytes.includes(Buffer.from(text))).toBe(false);
    store.destroy();

    const target = await newDatabase('restored');
    const restored = await restoreCli([backupId, '--target-url', target.url], env);
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toMatch(/Checking backup/);
    expect(restored.output).toMatch(/restoring .*100%/);
    expect(restored.output).toMatch(/every row count and checksum equal to the manifest/);

    // Every table, computed independently: the restored database equals the source, but for the backup's
    // own job row (running when it was taken, done now).
    const [source, copy] = await Promise.all([fingerprint(process.env.DATABASE_URL as string), fingerprint(target.url)]);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(source).sort());
    const differing = Object.keys(source).filter((table) => source[table] !== copy[table]);
    // The backup's own job row, and the audit trail's entry for the backup, written after its snapshot.
    expect(differing.sort()).toEqual(['audit_trail_entries', 'audit_trail_head', 'ops_jobs']);
    const audited = await strapi.db.connection('audit_trail_entries').where({ action: 'backup.run', document_id: backupId });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_kind: 'job', actor_name: 'backup.run', origin: 'worker', content_type: 'backup', outcome: 'success' });
    expect(JSON.parse(audited[0].diff).after).toMatchObject({ backupId, verified: true });
    const jobs = async (url: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT id, state FROM ops_jobs ORDER BY id');
      await client.end();
      return rows;
    };
    const [sourceJobs, copyJobs] = await Promise.all([jobs(process.env.DATABASE_URL as string), jobs(target.url)]);
    expect(copyJobs.map((job) => job.id)).toEqual(sourceJobs.map((job) => job.id));
    expect(copyJobs.find((job) => job.id === row.id)?.state).toBe('running');

    // The restore is recorded in the restored database's own trail, by the script, after the chain it restored.
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      const { rows: [restoreEntry, before] } = await client.query('SELECT * FROM audit_trail_entries ORDER BY seq DESC LIMIT 2');
      expect(restoreEntry).toMatchObject({ action: 'backup.restore', actor_kind: 'script', actor_name: 'restore', origin: 'script', content_type: 'backup', document_id: backupId, outcome: 'success' });
      expect(JSON.parse(restoreEntry.diff).after).toMatchObject({ backupId, takenAt: manifest.startedAt, forced: false, tables: manifest.tables.length });
      expect(restoreEntry.diff).not.toContain(target.url);
      expect(restoreEntry.prev_hash).toBe(before.hash);
      const { rows: [head] } = await client.query('SELECT seq, hash FROM audit_trail_head');
      expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: Number(restoreEntry.seq), hash: restoreEntry.hash });
    } finally {
      await client.end();
    }
  });

  it('runs backups in a worker that never loads Strapi: the database alone, from the cms\'s own config', () => {
    expect(workers[0].output()).toMatch(/Workers started: backup\.run \(.*database only/);
    expect(workers[0].output()).not.toMatch(/with the app/);
  });

  it('a backup whose audit entry could not be written is recorded by the retry that finds it done, once', async () => {
    const id = nextId('unrecorded');
    // The trail refuses this backup's entry (as a full disk or a lost connection would) until the first attempt has failed.
    await strapi.db.connection.raw(
      `CREATE TRIGGER audit_test_refuse_backup BEFORE INSERT ON audit_trail_entries FOR EACH ROW WHEN (NEW.document_id = '${id}') EXECUTE FUNCTION audit_trail_refuse_change()`
    );
    try {
      await enqueue(id);
      await until(async () => {
        const row = await job(id);
        return row?.state === 'queued' && row.attempts === 1 && Boolean(row.last_error);
      }, 120_000, 'the first attempt failed on its audit entry');
    } finally {
      await strapi.db.connection.raw('DROP TRIGGER audit_test_refuse_backup ON audit_trail_entries');
    }
    const store = storage();
    expect((await listBackups(store)).find((backup) => backup.id === id)?.status).toBe('verified');
    store.destroy();
    await until(async () => (await job(id)).state === 'done', 60_000, 'the retry done');
    const audited = await strapi.db.connection('audit_trail_entries').where({ action: 'backup.run', document_id: id });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_kind: 'job', actor_name: 'backup.run', outcome: 'success' });

    // Run once more (as a job redelivered after its entry was written would): still one entry.
    await strapi.plugin('ops').service('jobs').enqueue('backup.run', { backupId: id }, { key: `backup.run:test:${id}:again` });
    await until(async () => (await strapi.db.connection('ops_jobs').where({ idempotency_key: `backup.run:test:${id}:again` }).first())?.state === 'done', 60_000, 'the repeat done');
    expect(await strapi.db.connection('audit_trail_entries').where({ action: 'backup.run', document_id: id })).toHaveLength(1);
  }, 240_000);

  it('npm run backup takes a verified backup and prints its id on its last line', async () => {
    const run = await restoreCli([], env, 'backup.ts');
    expect(run.code, run.output).toBe(0);
    const lines = run.output.trim().split('\n');
    const id = lines[lines.length - 1];
    expect(id).toMatch(/^\d{8}T\d{6}Z-cli-[0-9a-f]{6}$/);
    expect(run.output).toMatch(/verified in \d+ ms/);
    const store = storage();
    expect((await listBackups(store)).find((backup) => backup.id === id)?.status).toBe('verified');
    store.destroy();
    const audited = await strapi.db.connection('audit_trail_entries').where({ action: 'backup.run', document_id: id });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_kind: 'script', actor_name: 'backup', origin: 'script', outcome: 'success' });
  });

  it('refuses to restore over a database with tables without --force, and with --force replaces it', async () => {
    const target = await newDatabase('occupied');
    const client = new Client({ connectionString: target.url });
    client.on('error', () => undefined); // dropped with its database after the run
    await client.connect();
    await client.query('CREATE TABLE precious (id int); INSERT INTO precious VALUES (1), (2)');
    const refused = await restoreCli([backupId, '--target-url', target.url], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refusing to write over it without --force/);
    expect((await client.query('SELECT count(*)::int AS n FROM precious')).rows[0].n).toBe(2);
    await client.end();

    const forced = await restoreCli([backupId, '--target-url', target.url, '--force'], env);
    expect(forced.code, forced.output).toBe(0);
    const copy = await fingerprint(target.url);
    expect(copy.precious).toBeUndefined();
    expect(Number(copy.events.split(':')[0])).toBe(manifest.tables.find((table) => table.table === 'events')?.rows);
  });

  it('refuses a wrongly keyed backup and a tampered one before touching the target; a tampered backup fails verification', async () => {
    const target = await newDatabase('untouched');
    const wrongKey = await restoreCli([backupId, '--target-url', target.url], { ...env, BACKUP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toMatch(/encrypted with another BACKUP_ENCRYPTION_KEY.*The target was not touched/);
    expect(await fingerprint(target.url)).toEqual({});

    // The same backup under another id, with one byte changed in its last frame.
    const store = storage();
    const tampered = nextId('tampered');
    const object = await store.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: store.keys(backupId).dump }));
    const bytes = Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    bytes[bytes.length - 40] ^= 0x01;
    await store.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: store.keys(tampered).dump, Body: bytes }));
    await store.writeManifest({ ...manifest, id: tampered, object: { ...manifest.object, key: store.keys(tampered).dump } });

    const refused = await restoreCli([tampered, '--target-url', target.url], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Refusing to restore backup .*(damaged|not the object).*The target was not touched/);
    expect(await fingerprint(target.url)).toEqual({});

    const verification = await verifyPostgresBackup({ databaseUrl: process.env.DATABASE_URL as string, id: tampered, settings: { key: Buffer.from(KEY, 'base64') }, storage: store });
    expect(verification).toMatchObject({ ok: false, objectIntact: false });
    const listed = (await listBackups(store)).find((backup) => backup.id === tampered);
    expect(listed?.status).toBe('verification-failed');
    // Its scratch database was dropped.
    const { rows } = await strapi.db.connection.raw("SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'ovation_verify_%'");
    expect(rows[0].n).toBe(0);
    await store.remove(tampered);
    store.destroy();
  });

  it('S3 stopped during a backup: the attempt fails clearly, is retried, and no half backup is ever listed', async () => {
    await ballast('ballast_s3_outage');
    try {
      const store = storage();
      const id = await enqueue(nextId('s3-outage'));
      await until(async () => ((await store.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).length > 0, 60_000, 'a multipart upload under way');
      expect((await listBackups(store)).map((backup) => backup.id)).not.toContain(id);
      await s3.stop();
      await until(async () => {
        const row = await job(id);
        return row.state === 'queued' && row.attempts === 1 && Boolean(row.last_error);
      }, 60_000, 'the attempt recorded as failed');
      expect((await job(id)).last_error).toMatch(new RegExp(`^Backup ${id} failed: upload to s3://${BUCKET}/backups/${id}/dump.enc failed: .+`));
      // S3 comes back (empty: moto keeps nothing); the retry takes the backup from the start.
      await s3.start();
      await s3.createBucket(BUCKET);
      await until(async () => (await job(id)).state === 'done', 120_000, 'the retried backup done');
      expect((await job(id)).attempts).toBe(2);
      const listed = await listBackups(store);
      expect(listed.map((backup) => [backup.id, backup.status])).toEqual([[id, 'verified']]);
      expect(workers[0].output()).toMatch(new RegExp(`backup.run job \\d+ attempt 1/3 failed: Backup ${id} failed`));
      store.destroy();
    } finally {
      await strapi.db.connection.raw('DROP TABLE IF EXISTS ballast_s3_outage');
    }
  }, 240_000);

  it('a worker killed mid-backup: the backup is taken again by another worker, and the half one is never listed', async () => {
    await ballast('ballast_killed');
    try {
      const store = storage();
      const id = await enqueue(nextId('killed'));
      await until(async () => ((await store.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).length > 0, 60_000, 'a multipart upload under way');
      await workers[0].kill();
      expect((await listBackups(store)).map((backup) => backup.id)).not.toContain(id);
      await startWorker();
      await until(async () => (await job(id)).state === 'done', 120_000, 'the backup taken again');
      const row = await job(id);
      expect(row.crashes).toBe(1);
      // Two workers have started and each scheduled the next nightly slot: one row, so one backup.
      const slot = scheduledBackupJob(nextBackupSlot(DEFAULT_BACKUP_CRON, new Date()));
      expect(await strapi.db.connection('ops_jobs').where('idempotency_key', 'like', 'backup.run:scheduled:%').pluck('idempotency_key')).toEqual([slot.key]);
      const listed = (await listBackups(store)).find((backup) => backup.id === id);
      expect(listed?.status).toBe('verified');
      // The dead worker's unfinished multipart upload stays invisible, and is aborted by retention once
      // its backup is two days old (here: a cut-off three days ahead).
      const uploads = async () => (await store.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [];
      expect(await uploads()).toHaveLength(1);
      expect(await store.abortStaleUploads(new Date(Date.now() - 86_400_000))).toBe(0);
      expect(await store.abortStaleUploads(new Date(Date.now() + 3 * 86_400_000))).toBe(1);
      expect(await uploads()).toHaveLength(0);
      store.destroy();
    } finally {
      await strapi.db.connection.raw('DROP TABLE IF EXISTS ballast_killed');
    }
  }, 240_000);
});

describe('backup service without configuration', () => {
  it('refuses to run without a bucket or a key (never an unencrypted backup)', () => {
    expect(() => createBackupService({ env: {} })).toThrow(/set BACKUP_S3_BUCKET and BACKUP_ENCRYPTION_KEY/);
    expect(() => createBackupService({ env: { BACKUP_S3_BUCKET: 'b', BACKUP_ENCRYPTION_KEY: 'short' } })).toThrow(/32 bytes/);
  });
});
