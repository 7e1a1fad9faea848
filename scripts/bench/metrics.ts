/**
 * `npm run bench -- metrics`: what Prometheus metrics cost the SMS vote webhook. Two cms processes on
 * one PostgreSQL database, the same build and settings except METRICS_TOKEN: without it nothing is
 * timed or served ("off"); with it every request is timed by route and status, the vote counters move,
 * and /metrics is scraped every 5 seconds meanwhile ("on", a busier scrape than Prometheus's usual
 * 15 s). Signed inbound votes from fresh pre-joined fans go to one process at a time, alternating
 * off, on, off, on…, so a neighbour's load on a shared machine falls on both alike. The cost is
 * 1 − (on ÷ off) of the votes answered per second over all rounds; the target is at most 5 %.
 * Writes bench/results/metrics.json.
 */
import crypto from 'crypto';
import { buildServer } from '../lib/build';
import { ensureRedis } from '../lib/redis';
import { freshSecrets } from '../../cms/test/environment';
import { startCms, type CmsProcess } from '../lib/cms-process';
import { createScratchDatabase } from '../lib/database';
import { freePort } from '../lib/ports';
import { INBOUND_PATH } from '../lib/twilio-inbound';
import { machine, summarize, writeResult, type LoadResult } from './lib';
import { preJoinFans, voteLoad, type Fan } from './voting';
import { redisUrlFromEnv } from '../../workers/src/settings';

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS) || 3;
const VOTES_PER_ROUND = Number(process.env.BENCH_VOTES) || 5_000;
const WARMUP_VOTES = 1_000;
const SCRAPE_EVERY_MS = 5_000;
const TARGET_COST = 0.05;

export async function benchMetrics() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redisUrlFromEnv();
  await ensureRedis(redisUrl);
  await buildServer();

  const database = await createScratchDatabase(baseUrl, 'bench_metrics');
  const secrets = freshSecrets();
  Object.assign(process.env, secrets);
  const metricsToken = crypto.randomBytes(24).toString('base64url');
  const [offPort, onPort] = [await freePort(), await freePort()];
  // Twilio signs for the address it posts to: each process checks its own.
  const env = (port: number) => ({
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-metrics-${Date.now().toString(36)}`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
    STRAPI_TELEMETRY_DISABLED: 'true',
  });

  const processes: CmsProcess[] = [];
  try {
    // The first seeds the demo (its DEMO event and open round); the second starts on the seeded database.
    const off = await startCms({ ...env(offPort), OVATION_SEED_ON_EMPTY: 'true' }, offPort, { unset: ['METRICS_TOKEN'] });
    processes.push(off);
    const on = await startCms({ ...env(onPort), METRICS_TOKEN: metricsToken }, onPort);
    processes.push(on);

    const total = 2 * (WARMUP_VOTES + ROUNDS * VOTES_PER_ROUND);
    console.log(`two cms processes on PostgreSQL (metrics off at ${off.url}, on at ${on.url}); joining ${total} fans …`);
    const { fans } = await preJoinFans(database.url, total);
    let next = 0;
    const take = (count: number): Fan[] => fans.slice(next, (next += count));

    const run = async (cms: CmsProcess, count: number, scrape: boolean) => {
      const counted = { votes: 0, other: [] as string[] };
      let scrapes = 0;
      const timer = scrape
        ? setInterval(() => {
            void fetch(`${cms.url}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } }).then(async (response) => {
              await response.text();
              if (response.status === 200) scrapes += 1;
            });
          }, SCRAPE_EVERY_MS)
        : undefined;
      try {
        const result = summarize(await voteLoad(cms.url, cms.url, secrets.TWILIO_AUTH_TOKEN, take(count), counted));
        return { ...result, votesCounted: counted.votes, scrapes, unexpected: counted.other };
      } finally {
        clearInterval(timer);
      }
    };

    console.log('warming up both …');
    await run(off, WARMUP_VOTES, false);
    await run(on, WARMUP_VOTES, true);

    const rounds: { off: LoadResult & { votesCounted: number }; on: LoadResult & { votesCounted: number; scrapes: number } }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      console.log(`round ${round}/${ROUNDS}: ${VOTES_PER_ROUND} votes with metrics off, then ${VOTES_PER_ROUND} with metrics on …`);
      const offResult = await run(off, VOTES_PER_ROUND, false);
      const onResult = await run(on, VOTES_PER_ROUND, true);
      rounds.push({ off: offResult, on: onResult });
      console.log(`  off ${offResult.perSecond}/s (p99 ${offResult.latencyMs.p99} ms), on ${onResult.perSecond}/s (p99 ${onResult.latencyMs.p99} ms)`);
    }

    // Votes answered over the time spent answering them, per side, over every round.
    const rate = (side: 'off' | 'on') =>
      rounds.reduce((sum, r) => sum + r[side].ok, 0) / rounds.reduce((sum, r) => sum + r[side].durationSeconds, 0);
    const offRate = rate('off');
    const onRate = rate('on');
    const cost = 1 - onRate / offRate;
    const allCounted = rounds.every((r) => r.off.votesCounted === VOTES_PER_ROUND && r.on.votesCounted === VOTES_PER_ROUND);
    const result = {
      benchmark: 'metrics',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: {
        database: 'postgresql',
        route: `POST ${INBOUND_PATH}`,
        connections: Number(process.env.BENCH_CONNECTIONS) || 100,
        rounds: ROUNDS,
        votesPerRound: VOTES_PER_ROUND,
        scrapeEveryMs: SCRAPE_EVERY_MS,
        loadGenerator: 'autocannon, same machine',
        note: 'off: no METRICS_TOKEN (nothing timed or served); on: METRICS_TOKEN set and /metrics scraped meanwhile; alternating rounds',
      },
      rounds,
      votesPerSecond: { off: Math.round(offRate * 10) / 10, on: Math.round(onRate * 10) / 10 },
      cost: Math.round(cost * 1000) / 1000,
      // Each round's own cost: on a busy machine their spread says how far to trust the total.
      costPerRound: rounds.map((r) => Math.round((1 - r.on.perSecond / r.off.perSecond) * 1000) / 1000),
      allVotesCounted: allCounted,
      targets: { cost: TARGET_COST },
      meetsTargets: cost <= TARGET_COST && allCounted,
    };
    const file = writeResult('metrics', result);
    console.log(JSON.stringify({ votesPerSecond: result.votesPerSecond, cost: result.cost, allVotesCounted: allCounted, meetsTargets: result.meetsTargets }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    for (const cms of processes) await cms.stop();
    await database.drop();
  }
}
