/**
 * `npm run bench -- backup`: a backup.run job of a database holding 1,000,000 votes, through a real
 * worker process to a real S3 server (moto): dump, encrypt, upload, then verify (restore into a scratch
 * database and compare every table). Baseline of the same run: pg_dump of the same database to
 * /dev/null. Targets: the whole job under 2 minutes, the worker's RSS under 200 MB. The worker's RSS
 * is sampled every 100 ms (pg_dump and pg_restore are processes of their own, not counted in it).
 * Writes bench/results/backup.json.
 */
import { spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import { createRequire } from 'module';
import { freshSecrets } from '../../cms/test/environment';
import path from 'path';
import { buildServer, REPO_DIR } from '../lib/build';
import { createScratchDatabase } from '../lib/database';
import { startRedisServer } from '../lib/redis-server';
import { startS3Server } from '../lib/s3-server';
import { startCms } from '../lib/cms-process';
import { freePort } from '../lib/ports';
import { startWorkerProcess } from '../lib/worker-process';
import { createJobStore } from '../../workers/src/durable/store';
import { backupIdFor } from '../../workers/src/backup/manifest';
import { connectionFor } from '../../workers/src/backup/postgres';
import { machine, writeResult } from './lib';

const VOTES = Number(process.env.BENCH_BACKUP_VOTES) || 1_000_000;
const BUCKET = 'ovation-bench-backups';

const rssMiB = (pid: number) => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

async function timed(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
  return Date.now() - started;
}

export async function benchBackup() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  await buildServer();
  const database = await createScratchDatabase(baseUrl, 'bench_backup');
  const redis = await startRedisServer();
  const s3 = await startS3Server();
  await s3.createBucket(BUCKET);
  const env = {
    ...freshSecrets(),
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `bench-backup-${Date.now().toString(36)}`,
    ...s3.env('unused'),
    BACKUP_S3_BUCKET: BUCKET,
    BACKUP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    WORKER_JOBS: 'backup.run',
    LOG_LEVEL: 'info',
  };
  // The cms creates the schema (in production the backups service starts once the cms is healthy);
  // the backup worker itself only opens the database.
  const cms = await startCms({ ...env, SERVE_ADMIN: 'false' }, await freePort());
  await cms.stop();
  const worker = await startWorkerProcess(env);
  const knex = createRequire(require.resolve('@strapi/database'))('knex')({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
  try {
    console.log(`filling: ${VOTES} votes …`);
    const filled = Date.now();
    await knex.raw(
      `INSERT INTO sms_voting_votes (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
       SELECT md5('v' || n), 'round-' || (n % 50), 'event-' || (n % 5), md5('fan' || n), 'entry-' || (n % 8), (1 + n % 8)::text,
              CASE WHEN n % 3 = 0 THEN 'web' ELSE 'sms' END, now(), now(), now()
         FROM generate_series(1, ?) AS g(n)`,
      [VOTES]
    );
    await knex.raw('VACUUM ANALYZE sms_voting_votes');
    const databaseBytes = Number((await knex.raw('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    console.log(`filled in ${Date.now() - filled} ms (${Math.round(databaseBytes / 2 ** 20)} MiB)`);

    console.log('baseline: pg_dump --format=custom to /dev/null …');
    const { dbname, env: pgEnv } = connectionFor(database.url);
    const baselineMs = await timed('pg_dump', ['--format=custom', '--compress=6', `--dbname=${dbname}`,], pgEnv);

    const idleRssMiB = rssMiB(worker.child.pid as number);
    let peakRssMiB = idleRssMiB;
    const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(worker.child.pid as number))), 100);
    const store = createJobStore({ knex: async () => knex, postgres: true });
    const backupId = backupIdFor(new Date(), 'bench');
    console.log(`backup.run ${backupId} through the worker …`);
    const started = Date.now();
    const [inserted] = await store.insert([{ name: 'backup.run', payload: { backupId }, key: `backup.run:bench:${backupId}` }]);
    // No producer hands it to Redis here: the workers' sweeper does at its next sweep.
    await store.unpush([inserted.id]);
    let row: { state: string; result: unknown; last_error: string | null } | undefined;
    for (;;) {
      row = await knex('ops_jobs').where({ idempotency_key: `backup.run:bench:${backupId}` }).first('state', 'result', 'last_error');
      if (row && ['done', 'failed', 'dead'].includes(row.state)) break;
      if (Date.now() - started > 15 * 60_000) throw new Error('backup.run did not finish in 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const totalMs = Date.now() - started;
    clearInterval(sampler);
    if (row?.state !== 'done') throw new Error(`backup.run ${row?.state}: ${row?.last_error}\n${worker.output().slice(-3000)}`);
    const job = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as { bytes: number; durationMs: number; verifyMs: number; verified: boolean };

    // The runbook's figure: `npm run restore` of this backup into a new database, as a process.
    const target = await createScratchDatabase(baseUrl, 'bench_restore');
    let restoreMs: number;
    try {
      restoreMs = await timed(path.join(REPO_DIR, 'node_modules', '.bin', 'tsx'), [path.join(REPO_DIR, 'scripts', 'restore.ts'), backupId, '--target-url', target.url], { ...process.env, ...env, NODE_ENV: 'production' });
    } finally {
      await target.drop();
    }

    const result = {
      machine: machine(),
      setup: { votes: VOTES, databaseMiB: Math.round(databaseBytes / 2 ** 20), s3: 'moto_server on the same machine', pgDump: 'custom format, compression 6' },
      baseline: { pgDumpToDevNullMs: baselineMs },
      backup: {
        totalMs,
        dumpEncryptUploadMs: job.durationMs,
        verifyMs: job.verifyMs,
        objectMiB: Math.round((job.bytes / 2 ** 20) * 10) / 10,
        verified: job.verified,
        ratioDumpToBaseline: Math.round((job.durationMs / baselineMs) * 100) / 100,
      },
      restore: { npmRunRestoreMs: restoreMs, what: 'npm run restore into a new database: check the whole object, restore, compare every table' },
      workerRssMiB: { idle: Math.round(idleRssMiB), peak: Math.round(peakRssMiB), growth: Math.round(peakRssMiB - idleRssMiB) },
    };
    const meetsTargets = totalMs < 120_000 && peakRssMiB < 200 && job.verified;
    const file = writeResult('backup', { ...result, targets: { totalMs: '< 120000', workerRssMiB: '< 200' }, meetsTargets });
    console.log(JSON.stringify(result, null, 2));
    console.log(`${meetsTargets ? 'meets' : 'MISSES'} its targets; written to ${file}`);
  } finally {
    await knex.destroy();
    await worker.stop();
    await s3.stop();
    await redis.stop();
    await database.drop();
  }
}
