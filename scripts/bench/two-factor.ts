/**
 * `npm run bench -- two-factor`: what the second factor costs. In-process, the p99 of checking one
 * code (unsealing the secret, then RFC 6238 with one step of drift each way; target under 5 ms).
 * Over HTTP, `POST /api/two-factor/verify` (challenge, code, JWT issued) from many users at once,
 * against Strapi's own /_health on the same cms in the same run (target: at least 0.5 of its rate).
 * Writes bench/results/two-factor.json.
 */
import { performance } from 'perf_hooks';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { generate, generateSync } from 'otplib';
import { freshSecrets } from '../../cms/test/environment';
import { acceptedStep, newSecret } from '../../plugins/two-factor/server/src/services/totp';
import { deriveKeys, hashToken, newToken, seal, unseal } from '../../plugins/two-factor/server/src/utils/sealing';
import { buildServer } from '../lib/build';
import { startCms } from '../lib/cms-process';
import { createScratchDatabase } from '../lib/database';
import { redisUrlFromEnv } from '../../workers/src/settings';
import { freePort } from '../lib/ports';
import { ensureRedis } from '../lib/redis';
import { machine, summarize, writeResult } from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 50;
const SIGN_INS = Number(process.env.BENCH_TWO_FACTOR_SIGNINS) || 3_000;
const WARMUP = Math.min(300, Math.ceil(SIGN_INS / 10));
const CHECKS = Number(process.env.BENCH_TWO_FACTOR_CHECKS) || 5_000;
const HEALTH_SECONDS = Number(process.env.BENCH_HEALTH_SECONDS) || 10;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** One code checked as a sign-in checks it: unseal the secret, then accept or refuse the code. */
async function codeChecks(encryptionKey: string) {
  const keys = deriveKeys(encryptionKey);
  const secret = newSecret();
  const sealed = seal(keys, secret);
  const step = Math.floor(Date.now() / 30_000);
  const codes = await Promise.all([step - 1, step, step + 1, step + 5].map((s) => generate({ secret, epoch: s * 30 })));
  const times: number[] = [];
  for (let i = 0; i < CHECKS; i += 1) {
    const code = codes[i % codes.length];
    const started = performance.now();
    await acceptedStep(unseal(keys, sealed), code, null, step * 30_000 + 15_000);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { checks: CHECKS, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), maxMs: round(times[times.length - 1]) };
}

type SignIn = { challenge: string; secret: string };

/** Users with a confirmed factor and a live challenge each, written as the plugin writes them. */
async function prepareSignIns(databaseUrl: string, encryptionKey: string, count: number): Promise<SignIn[]> {
  const keys = deriveKeys(encryptionKey);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const signIns: SignIn[] = [];
  const run = Date.now().toString(36);
  try {
    for (let start = 0; start < count; start += 500) {
      const size = Math.min(500, count - start);
      const now = new Date();
      const expires = new Date(Date.now() + 5 * 60_000);
      const rows = Array.from({ length: size }, (_, i) => ({ n: start + i, secret: newSecret(), challenge: newToken() }));
      const users = await db.query(
        `INSERT INTO up_users (document_id, username, email, provider, password, confirmed, blocked, created_at, updated_at, published_at)
         SELECT md5(random()::text), 'bench-' || $1 || '-' || n, 'bench-' || $1 || '-' || n || '@ovation.test', 'local', 'not-a-password-hash', true, false, $2, $2, $2
           FROM unnest($3::int[]) AS n RETURNING id`,
        [run, now, rows.map((row) => row.n)]
      );
      const ids = users.rows.map((row: { id: number }) => row.id);
      await db.query(
        `INSERT INTO two_factor_factors (document_id, user_kind, user_id, secret_sealed, confirmed_at, created_at, updated_at, published_at)
         SELECT md5(random()::text), 'user', id, sealed, $1, $1, $1, $1 FROM unnest($2::int[], $3::text[]) AS t(id, sealed)`,
        [now, ids, rows.map((row) => seal(keys, row.secret))]
      );
      await db.query(
        `INSERT INTO two_factor_challenges (document_id, token_hash, user_kind, user_id, purpose, remember_me, failures, expires_at, created_at, updated_at, published_at)
         SELECT md5(random()::text), hash, 'user', id, 'sign-in', false, 0, $1, $2, $2, $2 FROM unnest($3::int[], $4::text[]) AS t(id, hash)`,
        [expires, now, ids, rows.map((row) => hashToken(row.challenge))]
      );
      signIns.push(...rows.map((row) => ({ challenge: row.challenge, secret: row.secret })));
    }
    return signIns;
  } finally {
    await db.end();
  }
}

/** A client address of its own for sign-in `n` (10.0.0.0/8), sent as X-Forwarded-For to a cms that trusts one proxy. */
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/**
 * Each sign-in's second step once: its challenge and the code its app shows at the moment the
 * request leaves (a code computed before the load goes stale when the run crosses a 30-second
 * step), from an address of its own, as many people signing in at once would: the failure limits
 * per address and per account never see two sign-ins of the run as one.
 */
function verifyLoad(url: string, signIns: SignIn[], outcome: { jwts: number; other: string[] }, firstAddress = 0) {
  let next = 0;
  const body = ({ challenge, secret }: SignIn) => JSON.stringify({ challenge, code: generateSync({ secret, epoch: Math.floor(Date.now() / 1000) }) });
  return autocannon({
    url,
    connections: CONNECTIONS,
    amount: signIns.length,
    timeout: 20,
    requests: [
      {
        method: 'POST',
        path: '/api/two-factor/verify',
        setupRequest: (request) => {
          const n = next++;
          return { ...request, body: body(signIns[n]), headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(firstAddress + n) } };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"jwt"')) outcome.jwts += 1;
          else if (outcome.other.length < 5) outcome.other.push(`${status} ${body.slice(0, 160)}`);
        },
      },
    ],
  });
}

export async function benchTwoFactor() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redisUrlFromEnv();
  await ensureRedis(redisUrl);
  await buildServer();
  const secrets = freshSecrets();

  console.log(`code checks: ${CHECKS} in-process …`);
  const checks = await codeChecks(secrets.PII_ENCRYPTION_KEY);

  const database = await createScratchDatabase(baseUrl, 'bench_two_factor');
  const port = await freePort();
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-${Date.now().toString(36)}`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    // Every request comes from the load generator's one address: the per-address budget would
    // measure itself, not the route (the failure limits only count wrong codes).
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    // Each sign-in comes from an address of its own (X-Forwarded-For, one trusted hop).
    TRUST_PROXY: 'true',
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
    STRAPI_TELEMETRY_DISABLED: 'true',
  };
  const cms = await startCms(env, port);
  try {
    console.log(`cms on PostgreSQL at ${cms.url}; preparing ${WARMUP + SIGN_INS} sign-ins …`);
    const signIns = await prepareSignIns(database.url, secrets.PII_ENCRYPTION_KEY, WARMUP + SIGN_INS);
    console.log('warming up …');
    await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: 3 });
    await verifyLoad(cms.url, signIns.slice(0, WARMUP), { jwts: 0, other: [] });

    console.log(`ceiling: GET /_health for ${HEALTH_SECONDS} s …`);
    const ceiling = summarize(await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: HEALTH_SECONDS }));
    console.log(`second steps: ${SIGN_INS} POST /api/two-factor/verify …`);
    const outcome = { jwts: 0, other: [] as string[] };
    const verify = summarize(await verifyLoad(cms.url, signIns.slice(WARMUP), outcome, WARMUP));

    const ratio = Math.round((verify.perSecond / ceiling.perSecond) * 1000) / 1000;
    const result = {
      benchmark: 'two-factor',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: { database: 'postgresql', connections: CONNECTIONS, signIns: SIGN_INS, warmup: WARMUP, loadGenerator: 'autocannon, same machine' },
      codeCheck: checks,
      ceiling: { route: 'GET /_health', ...ceiling },
      verify: { route: 'POST /api/two-factor/verify', ...verify, jwtsIssued: outcome.jwts, unexpectedAnswers: outcome.other },
      ratioToCeiling: ratio,
      targets: { codeCheckP99Ms: 5, ratioToCeiling: 0.5 },
      meetsTargets: checks.p99Ms < 5 && ratio >= 0.5 && outcome.jwts === SIGN_INS,
    };
    const file = writeResult('two-factor', result);
    console.log(JSON.stringify({ codeCheck: checks, ceiling: ceiling.perSecond, verify: verify.perSecond, ratio, p99: verify.latencyMs.p99, jwts: outcome.jwts, other: outcome.other }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    await cms.stop();
    await database.drop();
  }
}
