/**
 * `npm run bench -- content`: what partners and the site read most, `/api/events` with its rounds and
 * lineup (and each entry's artist) populated, cached and uncached, against `/_health` in the same run.
 * Two cms processes on one seeded PostgreSQL database, the same build and settings except the content
 * cache (CONTENT_CACHE_SECONDS=0 on the uncached one). Rounds alternate health, cached, uncached, so a
 * neighbour's load falls on all three alike. Targets: cached at least 0.8 of /_health's rate, its p99
 * under 50 ms at 100 connections. Writes bench/results/content.json.
 */
import autocannon from 'autocannon';
import { freshSecrets } from '../../cms/test/environment';
import { buildServer } from '../lib/build';
import { startCms, type CmsProcess } from '../lib/cms-process';
import { createScratchDatabase } from '../lib/database';
import { freePort } from '../lib/ports';
import { ensureRedis } from '../lib/redis';
import { redisUrlFromEnv } from '../../workers/src/settings';
import { machine, summarize, writeResult, type LoadResult } from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 100;
const SECONDS = Number(process.env.BENCH_CONTENT_SECONDS) || 10;
const ROUNDS = Number(process.env.BENCH_CONTENT_ROUNDS) || 3;
const EVENTS_PATH = '/api/events?populate[rounds]=true&populate[lineup][populate][artist]=true';
const TARGETS = { cachedRatio: 0.8, cachedP99Ms: 50 };

const load = async (url: string, seconds = SECONDS) => summarize(await autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 20 }));

export async function benchContent() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redisUrlFromEnv();
  await ensureRedis(redisUrl);
  await buildServer();

  const database = await createScratchDatabase(baseUrl, 'bench_content');
  const secrets = freshSecrets();
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-content-${Date.now().toString(36)}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    STRAPI_TELEMETRY_DISABLED: 'true',
    // The load generator is one address: the per-address budget would measure the limiter instead.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
  };
  const processes: CmsProcess[] = [];
  try {
    const [cachedPort, uncachedPort] = [await freePort(), await freePort()];
    const cached = await startCms({ ...env, PUBLIC_URL: `http://127.0.0.1:${cachedPort}`, OVATION_SEED_ON_EMPTY: 'true' }, cachedPort);
    processes.push(cached);
    const uncached = await startCms({ ...env, PUBLIC_URL: `http://127.0.0.1:${uncachedPort}`, CONTENT_CACHE_SECONDS: '0' }, uncachedPort);
    processes.push(uncached);

    const sample = await fetch(`${cached.url}${EVENTS_PATH}`);
    const body = (await sample.json()) as { data: { rounds?: unknown[]; lineup?: unknown[] }[] };
    if (sample.status !== 200 || !body.data.length || !body.data[0].lineup?.length) throw new Error(`${EVENTS_PATH} answered ${sample.status} without the seeded events`);
    const bytes = JSON.stringify(body).length;

    console.log('warming up …');
    await load(`${cached.url}/_health`, 3);
    await load(`${cached.url}${EVENTS_PATH}`, 3);
    await load(`${uncached.url}${EVENTS_PATH}`, 3);

    const rounds: { health: LoadResult; cached: LoadResult; uncached: LoadResult }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const health = await load(`${cached.url}/_health`);
      const hot = await load(`${cached.url}${EVENTS_PATH}`);
      const cold = await load(`${uncached.url}${EVENTS_PATH}`);
      rounds.push({ health, cached: hot, uncached: cold });
      console.log(`round ${round}/${ROUNDS}: /_health ${health.perSecond}/s, cached ${hot.perSecond}/s (p99 ${hot.latencyMs.p99} ms), uncached ${cold.perSecond}/s (p99 ${cold.latencyMs.p99} ms)`);
    }

    const rate = (side: 'health' | 'cached' | 'uncached') => rounds.reduce((sum, r) => sum + r[side].ok, 0) / rounds.reduce((sum, r) => sum + r[side].durationSeconds, 0);
    const p99 = (side: 'cached' | 'uncached') => Math.max(...rounds.map((r) => r[side].latencyMs.p99));
    const failed = rounds.reduce((sum, r) => sum + r.cached.non2xx + r.cached.errors + r.uncached.non2xx + r.uncached.errors, 0);
    const ratio = { cached: Math.round((rate('cached') / rate('health')) * 1000) / 1000, uncached: Math.round((rate('uncached') / rate('health')) * 1000) / 1000 };
    const result = {
      benchmark: 'content',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: { database: 'postgresql', route: `GET ${EVENTS_PATH}`, responseBytes: bytes, connections: CONNECTIONS, secondsPerLoad: SECONDS, rounds: ROUNDS, loadGenerator: 'autocannon, same machine', note: 'two cms processes on one seeded database; uncached: CONTENT_CACHE_SECONDS=0; alternating rounds; p99 is the worst round' },
      rounds,
      perSecond: { health: Math.round(rate('health')), cached: Math.round(rate('cached')), uncached: Math.round(rate('uncached')) },
      ratioToHealth: ratio,
      p99Ms: { cached: p99('cached'), uncached: p99('uncached') },
      failed,
      targets: TARGETS,
      meetsTargets: ratio.cached >= TARGETS.cachedRatio && p99('cached') < TARGETS.cachedP99Ms && failed === 0,
    };
    const file = writeResult('content', result);
    console.log(JSON.stringify({ perSecond: result.perSecond, ratioToHealth: ratio, p99Ms: result.p99Ms, failed, meetsTargets: result.meetsTargets }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    for (const cms of processes) await cms.stop();
    await database.drop();
  }
}
