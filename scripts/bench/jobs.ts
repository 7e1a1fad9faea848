/**
 * `npm run bench -- jobs`: message.send jobs through the durable job layer (outbox rows and their
 * jobs in PostgreSQL, hand-offs through Redis, two worker processes, the real twilio SDK) to a local
 * server that speaks Twilio's API, with the send-rate throttle off; against a baseline measured in
 * the same run: the same SDK sending straight to that server, no job layer. Then the time from a
 * Redis restart (empty) to the first job completed again. Writes bench/results/jobs.json.
 */
import crypto from 'crypto';
import twilio from 'twilio';
import { freshSecrets } from '../../cms/test/environment';
import { buildServer } from '../lib/build';
import { createScratchDatabase } from '../lib/database';
import { startFakeTwilio } from '../lib/fake-twilio';
import { startRedisServer } from '../lib/redis-server';
import { startWorkerProcess, type WorkerProcess } from '../lib/worker-process';
import { queueSettings } from '../../workers/src/settings';
import { machine, writeResult } from './lib';

const MESSAGES = Number(process.env.BENCH_JOBS) || 10_000;
const BASELINE_MESSAGES = 5_000;
const RECOVERY_BACKLOG = 2_000;
const WORKERS = 2;
const ACCOUNT = 'AC00000000000000000000000000000003';
const FROM = '+15005550006';

const until = async (condition: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export async function benchJobs() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  await buildServer();
  const database = await createScratchDatabase(baseUrl, 'bench_jobs');
  const redis = await startRedisServer();
  const provider = await startFakeTwilio();
  Object.assign(process.env, freshSecrets(), {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `bench-jobs-${Date.now().toString(36)}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
  });
  const { bootStrapi } = await import('../../cms/test/strapi');
  const strapi = await bootStrapi();
  const workers: WorkerProcess[] = [];

  try {
    console.log(`baseline: ${BASELINE_MESSAGES} sends straight through the twilio SDK …`);
    const client = twilio(ACCOUNT, 'bench-token', {
      httpClient: new (class extends twilio.RequestClient {
        request<T>(opts: Parameters<twilio.RequestClient['request']>[0]) {
          const target = new URL(opts.uri);
          target.host = new URL(provider.url).host;
          target.protocol = 'http:';
          return super.request<T>({ ...opts, uri: target.href });
        }
      })({ keepAlive: true }),
    });
    let next = 0;
    const baselineStarted = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        while (next < BASELINE_MESSAGES) {
          next += 1;
          await client.messages.create({ to: `+1303${String(5_000_000 + next).padStart(7, '0')}`, from: FROM, body: `Baseline ${next}` });
        }
      })
    );
    const baselinePerSecond = Math.round(BASELINE_MESSAGES / ((Date.now() - baselineStarted) / 1000));

    for (let i = 0; i < WORKERS; i += 1) {
      workers.push(
        await startWorkerProcess({
          NODE_ENV: 'production',
          // info: the start-up lines the harness waits for (nothing is logged per message).
          LOG_LEVEL: 'info',
          TWILIO_ACCOUNT_SID: ACCOUNT,
          TWILIO_AUTH_TOKEN: 'bench-token',
          TWILIO_FROM: FROM,
          TWILIO_API_BASE_URL: provider.url,
          SMS_SEND_RATE_PER_SECOND: '0',
        },
        // BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers.
        { nodeArgs: (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean) })
      );
    }

    const sent = (phones: string[]) => {
      const counts = provider.countsByRecipient();
      return phones.filter((phone) => counts.has(phone)).length;
    };
    // Recipients from a sequence: every message of the run has its own, so a count of two is a duplicate.
    let nextRecipient = 2_000_000;
    const queue = async (count: number, label: string) => {
      const unique = Array.from({ length: count }, () => `+1202${nextRecipient++}`);
      const messages = unique.map((to, i) => ({ channel: 'sms' as const, to, body: `${label} ${i}: the finale starts at 9`, purpose: 'bench', idempotencyKey: `${label}:${crypto.randomUUID()}` }));
      for (let start = 0; start < messages.length; start += 500) await strapi.service('api::message.message').queue(messages.slice(start, start + 500));
      return unique;
    };

    // BENCH_PG_STATEMENTS=1 prints where PostgreSQL spent its time (needs pg_stat_statements preloaded).
    if (process.env.BENCH_PG_STATEMENTS) await strapi.db.connection.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()');
    console.log(`throughput: ${MESSAGES} message.send jobs, ${WORKERS} workers, throttle off …`);
    const started = Date.now();
    const phones = await queue(MESSAGES, 'throughput');
    const queuedMs = Date.now() - started;
    await until(() => sent(phones) === phones.length, 600_000, 'all sent');
    const seconds = (Date.now() - started) / 1000;
    const jobsPerSecond = Math.round(phones.length / seconds);

    console.log(`recovery: Redis restarted empty under a backlog of ${RECOVERY_BACKLOG} …`);
    await redis.stop();
    const backlog = await queue(RECOVERY_BACKLOG, 'recovery');
    await redis.start();
    const restartedAt = Date.now();
    await until(() => sent(backlog) > 0, 60_000, 'a job completed after the restart');
    const recoveryMs = Date.now() - restartedAt;
    await until(() => sent(backlog) === backlog.length, 120_000, 'the backlog sent');

    if (process.env.BENCH_PG_STATEMENTS) {
      const top = await strapi.db.connection.raw(`SELECT calls, round(total_exec_time) AS ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15`);
      console.table(top.rows);
    }
    const counts = provider.countsByRecipient();
    const everyone = [...phones, ...backlog];
    const duplicated = everyone.filter((phone) => (counts.get(phone) ?? 0) > 1).length;
    const missing = everyone.filter((phone) => !counts.has(phone)).length;

    const result = {
      benchmark: 'jobs',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: { database: 'postgresql', workers: WORKERS, concurrencyPerWorker: queueSettings['message.send'].concurrency, throttle: 'off', provider: 'local Twilio API server, real twilio SDK' },
      baseline: { what: 'twilio SDK straight to the local server, 40 at a time, no job layer', messages: BASELINE_MESSAGES, perSecond: baselinePerSecond },
      throughput: { messages: phones.length, seconds: Math.round(seconds * 10) / 10, enqueueSeconds: Math.round(queuedMs / 100) / 10, jobsPerSecond },
      ratioToBaseline: Math.round((jobsPerSecond / baselinePerSecond) * 1000) / 1000,
      recovery: { backlog: backlog.length, msFromRedisRestartToFirstJobDone: recoveryMs },
      integrity: { messages: everyone.length, missing, duplicated, ok: missing === 0 && duplicated === 0 },
      targets: { jobsPerSecond: 1_000, msFromRedisRestartToFirstJobDone: 5_000 },
      meetsTargets: jobsPerSecond >= 1_000 && recoveryMs < 5_000 && missing === 0 && duplicated === 0,
    };
    const file = writeResult('jobs', result);
    console.log(JSON.stringify({ baseline: baselinePerSecond, jobsPerSecond, ratio: result.ratioToBaseline, recoveryMs, integrity: result.integrity, meetsTargets: result.meetsTargets }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await strapi.destroy().catch(() => undefined);
    await provider.close();
    await redis.stop();
    await database.drop();
  }
}
