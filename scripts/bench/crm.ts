/**
 * `npm run bench -- crm`: the CRM on CRM_BENCH_FANS (100,000) seeded fans, each with marketing_sms
 * consent: segment counts (p99 of each of a few realistic segments; target under 200 ms), the fan-out
 * of one campaign to all of them by a worker process (target: every message queued in under 60 s, the
 * worker's RSS, sampled from /proc, under 300 MB), and the sends of those messages by two worker
 * processes, paced at CRM_BENCH_RATE a second, to a local server that speaks Twilio's API through
 * the real twilio SDK (target: none missing, none twice). Writes bench/results/crm.json.
 */
import crypto from 'crypto';
import fs from 'fs';
import { freshSecrets } from '../../cms/test/environment';
import { buildServer } from '../lib/build';
import { createScratchDatabase } from '../lib/database';
import { startFakeTwilio } from '../lib/fake-twilio';
import { startRedisServer } from '../lib/redis-server';
import { startWorkerProcess, type WorkerProcess } from '../lib/worker-process';
import { machine, writeResult } from './lib';

const FANS = Number(process.env.CRM_BENCH_FANS) || 100_000;
const RATE = Number(process.env.CRM_BENCH_RATE) || 1_000;
const COUNT_RUNS = 30;
const SEED_CHUNK = 20_000;
const SEND_WORKERS = 2;
const EVENT = 'benchcrmevent000000000001';
const ACCOUNT = 'AC00000000000000000000000000000013';
const FROM = '+15005550013';
const TARGETS = { countP99Ms: 200, fanoutSeconds: 60, workerRssMiB: 300 };

const until = async (condition: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const rssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};
/** The fans' numbers: a sequence of New York numbers, one per fan, so a count of two is a duplicate. */
const phoneOf = (i: number) => `+1212${String(2_000_000 + i).padStart(7, '0')}`;

export async function benchCrm() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  await buildServer();
  const database = await createScratchDatabase(baseUrl, 'bench_crm');
  const redis = await startRedisServer();
  const provider = await startFakeTwilio();
  const appEnv = {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `bench-crm-${Date.now().toString(36)}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    // Measured at any hour of the run, by one Marketing user.
    CRM_QUIET_HOURS: '00:00-00:00',
    CRM_APPROVAL_THRESHOLD: String(FANS * 10),
  };
  Object.assign(process.env, freshSecrets(), appEnv);
  const { bootStrapi } = await import('../../cms/test/strapi');
  const { encryptPII, lookupHash, maskIdentifier } = await import('../../cms/src/lib/pii');
  const strapi = await bootStrapi();
  const knex = strapi.db.connection;
  const crm = (name: string) => strapi.plugin('crm').service(name);
  const workers: WorkerProcess[] = [];

  try {
    // Seeding: the numbers sealed and hashed here (AES-GCM and HMAC are microseconds each), then one
    // INSERT … SELECT FROM unnest(…) per 20,000 fans, with their consent records and attendances likewise.
    console.log(`seeding ${FANS} fans …`);
    const seedStarted = Date.now();
    for (let start = 0; start < FANS; start += SEED_CHUNK) {
      const index = Array.from({ length: Math.min(SEED_CHUNK, FANS - start) }, (_, i) => start + i);
      const phones = index.map(phoneOf);
      const hashes = phones.map(lookupHash);
      const documents = index.map(() => crypto.randomBytes(12).toString('hex'));
      await knex.raw(
        `INSERT INTO fans (document_id, phone_encrypted, phone_hash, phone_masked, country, language, tags, first_seen, created_at, updated_at, published_at)
         SELECT d, e, h, m, 'US', CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END,
                CASE WHEN i % 10 = 0 THEN '["bench","vip"]'::jsonb ELSE '["bench"]'::jsonb END,
                now() - (i % 365) * interval '1 day', now(), now(), now()
         FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[]) AS t(d, e, h, m, i)`,
        [documents, phones.map(encryptPII), hashes, phones.map(maskIdentifier), index]
      );
      await knex.raw(
        `INSERT INTO consent_records (document_id, subject_hash, channel, purpose, action, source, occurred_at, created_at, updated_at, published_at)
         SELECT md5(random()::text || h), h, 'sms', 'marketing_sms', 'opt_in', 'bench', now() - interval '400 days', now(), now(), now() FROM unnest(?::text[]) AS t(h)`,
        [hashes]
      );
      await knex.raw(
        `INSERT INTO sms_voting_attendances (document_id, event_ref, fan_ref, source, created_at, updated_at, published_at)
         SELECT md5(random()::text || d), ?, d, 'sms', now() - (i % 90) * interval '1 day', now(), now() FROM unnest(?::text[], ?::int[]) AS t(d, i) WHERE i % 4 = 0`,
        [EVENT, documents, index]
      );
    }
    await knex.raw('ANALYZE fans; ANALYZE consent_records; ANALYZE sms_voting_attendances');
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    console.log('segment counts …');
    const segments = {
      'marketing consent': { all: [{ field: 'tags', op: 'any', value: ['bench'] }, { field: 'consent', op: 'has', value: { purpose: 'marketing_sms', channel: 'sms' } }] },
      'Spanish-speaking VIPs': { all: [{ field: 'tags', op: 'any', value: ['vip'] }, { field: 'language', op: 'in', value: ['es'] }] },
      'attended, or joined this month': { any: [{ field: 'attended', op: 'any', value: [EVENT] }, { field: 'joined', op: 'between', value: { from: new Date(Date.now() - 30 * 86_400_000).toISOString() } }] },
      'US, active in 30 days, not VIP': { all: [{ field: 'country', op: 'in', value: ['US'] }, { field: 'last_activity', op: 'within_days', value: 30 }, { field: 'tags', op: 'none', value: ['vip'] }] },
    };
    const counts: Record<string, { count: number; p50Ms: number; p99Ms: number }> = {};
    for (const [name, rules] of Object.entries(segments)) {
      const took: number[] = [];
      let count = 0;
      for (let run = 0; run < COUNT_RUNS + 2; run += 1) {
        const started = performance.now();
        count = await crm('audience').count(rules);
        if (run >= 2) took.push(performance.now() - started);
      }
      counts[name] = { count, p50Ms: Math.round(percentile(took, 50) * 10) / 10, p99Ms: Math.round(percentile(took, 99) * 10) / 10 };
    }
    const worstCountP99 = Math.max(...Object.values(counts).map((c) => c.p99Ms));

    console.log(`fan-out of one campaign to ${FANS} fans by one worker …`);
    const workerEnv = { ...appEnv, LOG_LEVEL: 'info', TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'bench-token', TWILIO_FROM: FROM, TWILIO_API_BASE_URL: provider.url };
    const fanoutWorker = await startWorkerProcess({ ...workerEnv, WORKER_JOBS: 'campaign.fanout' });
    workers.push(fanoutWorker);
    const segment = await crm('segments').create({ name: 'Bench: everyone', rules: segments['marketing consent'] });
    const campaign = await crm('campaigns').create({ name: 'Bench: the finale', channel: 'sms', segmentId: segment.id, templates: { en: { body: 'The finale is next Friday' }, es: { body: 'La final es el viernes' } } }, 1);
    const rss: number[] = [];
    const sampler = setInterval(() => {
      try {
        rss.push(rssMiB(fanoutWorker.child.pid as number));
      } catch {
        // the process is gone: the run fails on its own below
      }
    }, 100);
    const fanoutStarted = Date.now();
    await crm('campaigns').send(campaign.id, {});
    const fannedOut = async () => Number((await knex('crm_campaigns').where({ id: campaign.id }).first('fanned_out')).fanned_out);
    await until(async () => (await fannedOut()) >= FANS, 15 * 60_000, 'the fan-out');
    const fanoutSeconds = (Date.now() - fanoutStarted) / 1000;
    clearInterval(sampler);
    const queued = Number((await knex('messages').where({ topic: `campaign:${campaign.id}` }).count({ n: '*' }).first())?.n);

    console.log(`sends: ${SEND_WORKERS} workers at ${RATE}/s to the local Twilio …`);
    workers.push(...(await Promise.all(Array.from({ length: SEND_WORKERS }, () => startWorkerProcess({ ...workerEnv, WORKER_JOBS: 'message.send', SMS_SEND_RATE_PER_SECOND: String(RATE) })))));
    // Timed from the first message the provider received to the last (the workers' start-up left out).
    let firstAt: number | undefined;
    await until(() => {
      if (provider.received.length > 0) firstAt ??= Date.now();
      return provider.countsByRecipient().size >= FANS;
    }, 60 * 60_000, 'every fan texted');
    const sendSeconds = Math.max(0.05, (Date.now() - (firstAt as number)) / 1000);
    // Anything sent twice would arrive now or never: the outbox settles first.
    await until(async () => Number((await knex('messages').where({ topic: `campaign:${campaign.id}` }).whereIn('state', ['queued', 'sending']).count({ n: '*' }).first())?.n) === 0, 120_000, 'the outbox settled');
    const received = provider.countsByRecipient();
    const everyone = Array.from({ length: FANS }, (_, i) => phoneOf(i));
    const missing = everyone.filter((phone) => !received.has(phone)).length;
    const duplicated = everyone.filter((phone) => (received.get(phone) ?? 0) > 1).length;

    const peakRss = Math.round(Math.max(...rss));
    const result = {
      benchmark: 'crm',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: { database: 'postgresql', fans: FANS, consent: 'every fan has marketing_sms', countRuns: COUNT_RUNS, fanoutWorkers: 1, sendWorkers: SEND_WORKERS, sendRatePerSecond: RATE, provider: 'local Twilio API server, real twilio SDK' },
      seed: { seconds: Math.round(seedSeconds * 10) / 10 },
      segmentCounts: counts,
      fanout: { messages: queued, seconds: Math.round(fanoutSeconds * 10) / 10, perSecond: Math.round(queued / fanoutSeconds), workerPeakRssMiB: peakRss, rssSamples: rss.length },
      sends: { received: [...received.values()].reduce((a, b) => a + b, 0), seconds: Math.round(sendSeconds * 10) / 10, perSecond: Math.round(FANS / sendSeconds), missing, duplicated },
      targets: TARGETS,
      meetsTargets: worstCountP99 < TARGETS.countP99Ms && fanoutSeconds < TARGETS.fanoutSeconds && peakRss < TARGETS.workerRssMiB && queued === FANS && missing === 0 && duplicated === 0,
    };
    const file = writeResult('crm', result);
    console.log(JSON.stringify({ segmentCounts: counts, fanout: result.fanout, sends: result.sends, meetsTargets: result.meetsTargets }, null, 2));
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
