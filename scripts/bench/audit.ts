/**
 * `npm run bench -- audit`: what the audit trail costs a content write. Two cms processes on one
 * PostgreSQL database, the same build and settings except the trail: one records every write
 * ("with"), the other runs with AUDIT_TRAIL_ENABLED=false ("without"; development mode for both, as
 * production refuses to turn the trail off). Content updates through the REST API with an API token
 * (PUT /api/artists/:id, a new genre each time) go to one process at a time, alternating without,
 * with, without, with…, so a neighbour's load on a shared machine falls on both alike: 1,000 a side
 * from one editor at a time (the write path's own time: the target, at most 15 % for the mean and
 * the p99), then 1,000 a side from four editors at once (the chain's appends queue one after another:
 * reported). Writes bench/results/audit.json.
 */
import crypto from 'crypto';
import { Client } from 'pg';
import { freshSecrets } from '../../cms/test/environment';
import { buildServer } from '../lib/build';
import { startCms, type CmsProcess } from '../lib/cms-process';
import { createScratchDatabase } from '../lib/database';
import { freePort } from '../lib/ports';
import { ensureRedis } from '../lib/redis';
import { machine, writeResult } from './lib';
import { redisUrlFromEnv } from '../../workers/src/settings';

const UPDATES = Number(process.env.BENCH_AUDIT_UPDATES) || 1_000;
const ROUNDS = 4;
const WARMUP = 100;
const ARTISTS = 50;
const EDITORS = Number(process.env.BENCH_AUDIT_CONCURRENCY) || 4;
const TARGET_COST = 0.15;

type Side = { cms: CmsProcess; token: string };
type RoundResult = { updates: number; failed: number; seconds: number; perSecond: number; latencyMs: { mean: number; p50: number; p99: number; max: number } };
type Timed = RoundResult & { times: number[] };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round1 = (value: number) => Math.round(value * 10) / 10;

async function api(url: string, init: RequestInit & { token?: string } = {}) {
  const response = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...init.headers },
  });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** A full-access API token, made as a person would: the first admin registers, then creates it. */
async function apiToken(cms: CmsProcess) {
  const password = `Bench-${crypto.randomBytes(6).toString('hex')}-9`;
  const email = `bench-${Date.now().toString(36)}@ovation.test`;
  let jwt: string;
  try {
    jwt = (await api(`${cms.url}/admin/register-admin`, { method: 'POST', body: JSON.stringify({ email, password, firstname: 'Bench', lastname: 'Admin' }) })).data.token;
  } catch {
    throw new Error('the benchmark needs a fresh database whose first admin it registers');
  }
  const token = await api(`${cms.url}/admin/api-tokens`, {
    method: 'POST',
    token: jwt,
    body: JSON.stringify({ name: `bench-${cms.url}`, type: 'full-access', lifespan: null }),
  });
  return { password, email, accessKey: token.data.accessKey as string };
}

/** `count` updates from `editors` editors at once, each a new genre on one of the artists, timed one by one. */
async function updates(side: Side, artists: string[], count: number, editors: number): Promise<Timed> {
  const times: number[] = [];
  let failed = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const editor = async () => {
    while (next < count) {
      const n = next++;
      const documentId = artists[n % artists.length];
      const began = process.hrtime.bigint();
      try {
        await api(`${side.cms.url}/api/artists/${documentId}`, { method: 'PUT', token: side.token, body: JSON.stringify({ data: { genre: `Genre ${crypto.randomBytes(4).toString('hex')}` } }) });
        times.push(Number(process.hrtime.bigint() - began) / 1e6);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: editors }, editor));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((sum, time) => sum + time, 0) / Math.max(1, times.length);
  return {
    updates: times.length,
    failed,
    seconds: round1(seconds),
    perSecond: round1(times.length / seconds),
    latencyMs: { mean: round1(mean), p50: round1(percentile(sorted, 50)), p99: round1(percentile(sorted, 99)), max: round1(sorted[sorted.length - 1]) },
    times,
  };
}

/**
 * UPDATES updates a side with `editors` editors at once, in ROUNDS alternating rounds. The cost is
 * with ÷ without − 1 of the mean and of the p99, both over every update of a side (1,000 each).
 */
async function measure(sides: { with: Side; without: Side }, artists: string[], editors: number) {
  await updates(sides.without, artists, WARMUP, editors);
  await updates(sides.with, artists, WARMUP, editors);
  const perRound = Math.ceil(UPDATES / ROUNDS);
  const rounds: { without: Timed; with: Timed }[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const without = await updates(sides.without, artists, perRound, editors);
    const withTrail = await updates(sides.with, artists, perRound, editors);
    rounds.push({ without, with: withTrail });
    console.log(`${editors} at once, round ${round}/${ROUNDS}: without ${without.latencyMs.mean} ms mean, with ${withTrail.latencyMs.mean} ms mean`);
  }
  const pooled = (side: 'with' | 'without') => rounds.flatMap((r) => r[side].times).sort((a, b) => a - b);
  const stats = (side: 'with' | 'without') => {
    const times = pooled(side);
    return { mean: times.reduce((sum, time) => sum + time, 0) / times.length, p99: percentile(times, 99) };
  };
  const [withTrail, without] = [stats('with'), stats('without')];
  return {
    editorsAtOnce: editors,
    rounds: rounds.map((r) => ({ without: { ...r.without, times: undefined }, with: { ...r.with, times: undefined } })),
    meanMs: { without: round1(without.mean), with: round1(withTrail.mean) },
    p99Ms: { without: round1(without.p99), with: round1(withTrail.p99) },
    cost: { mean: Math.round((withTrail.mean / without.mean - 1) * 1000) / 1000, p99: Math.round((withTrail.p99 / without.p99 - 1) * 1000) / 1000 },
    writesWithTrail: WARMUP + rounds.reduce((sum, r) => sum + r.with.updates, 0),
    failed: rounds.reduce((sum, r) => sum + r.with.failed + r.without.failed, 0),
  };
}

export async function benchAudit() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redisUrlFromEnv();
  await ensureRedis(redisUrl);
  await buildServer();

  const database = await createScratchDatabase(baseUrl, 'bench_audit');
  const secrets = freshSecrets();
  const env = {
    ...secrets,
    NODE_ENV: 'development',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-audit-${Date.now().toString(36)}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    RATE_LIMIT_CREDENTIAL_PER_MINUTE: '1000000',
    RATE_LIMIT_TOKEN_PER_MINUTE: '1000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    STRAPI_TELEMETRY_DISABLED: 'true',
  };

  const processes: CmsProcess[] = [];
  try {
    // The recording one first: it installs the trail's tables; the other boots on the same schema.
    const withCms = await startCms(env, await freePort());
    processes.push(withCms);
    const withoutCms = await startCms({ ...env, AUDIT_TRAIL_ENABLED: 'false' }, await freePort());
    processes.push(withoutCms);
    const admin = await apiToken(withCms);
    const jwt = (await api(`${withoutCms.url}/admin/login`, { method: 'POST', body: JSON.stringify({ email: admin.email, password: admin.password }) })).data.token;
    const withoutToken = (await api(`${withoutCms.url}/admin/api-tokens`, { method: 'POST', token: jwt, body: JSON.stringify({ name: 'bench-without', type: 'full-access', lifespan: null }) })).data.accessKey;
    const sides = { with: { cms: withCms, token: admin.accessKey }, without: { cms: withoutCms, token: withoutToken } };

    const artists: string[] = [];
    for (let n = 0; n < ARTISTS; n += 1) {
      const name = `Bench artist ${n} ${Date.now().toString(36)}`;
      const created = await api(`${withoutCms.url}/api/artists`, { method: 'POST', token: withoutToken, body: JSON.stringify({ data: { name, slug: name.toLowerCase().replace(/\W+/g, '-') } }) });
      artists.push(created.data.documentId);
    }
    console.log(`two cms processes on PostgreSQL (trail on at ${withCms.url}, off at ${withoutCms.url}), ${ARTISTS} artists`);

    // One editor at a time: the write path's own time, which the target is about. Four at once: what
    // the chain's one-at-a-time append adds under contention (reported beside it).
    const alone = await measure(sides, artists, 1);
    const together = await measure(sides, artists, EDITORS);
    // Every write through the recording process has its entry (and only those: the other records none).
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM audit_trail_entries WHERE action = 'update'");
    await client.end();
    const recorded = rows[0].n as number;
    const writesWithTrail = alone.writesWithTrail + together.writesWithTrail;
    const failed = alone.failed + together.failed;
    const result = {
      benchmark: 'audit',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: {
        database: 'postgresql',
        route: 'PUT /api/artists/:documentId (API token, full access)',
        updatesPerSide: UPDATES,
        rounds: ROUNDS,
        artists: ARTISTS,
        note: 'with: the audit trail records each write in its transaction; without: AUDIT_TRAIL_ENABLED=false; both NODE_ENV=development; alternating rounds; mean and p99 over every update of a side',
      },
      oneEditor: alone,
      editorsAtOnce: together,
      updatesRecorded: { writesWithTrail, entries: recorded },
      failedUpdates: failed,
      targets: { cost: TARGET_COST, judgedOn: 'oneEditor (the write path’s own time)' },
      meetsTargets: alone.cost.mean <= TARGET_COST && alone.cost.p99 <= TARGET_COST && failed === 0 && recorded === writesWithTrail,
    };
    const file = writeResult('audit', result);
    console.log(JSON.stringify({ oneEditor: alone.cost, editorsAtOnce: together.cost, meetsTargets: result.meetsTargets }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    for (const cms of processes) await cms.stop();
    await database.drop();
  }
}
