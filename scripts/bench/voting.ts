/**
 * `npm run bench -- voting`: signed inbound vote webhooks at the cms on PostgreSQL, from many
 * pre-joined fans over 100 connections, against Strapi's own /_health on the same server in the same
 * run (the ceiling every route shares). Writes bench/results/voting.json.
 */
import crypto from 'crypto';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { buildServer } from '../lib/build';
import { ensureRedis } from '../lib/redis';
import { freshSecrets } from '../../cms/test/environment';
import { startCms } from '../lib/cms-process';
import { createScratchDatabase } from '../lib/database';
import { freePort } from '../lib/ports';
import { INBOUND_PATH, inboundForm, signInbound } from '../lib/twilio-inbound';
import { machine, summarize, writeResult } from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 100;
const VOTES = Number(process.env.BENCH_VOTES) || 15_000;
const WARMUP_VOTES = 2_000;
const HEALTH_SECONDS = 10;

export type Fan = { phone: string };

export async function preJoinFans(databaseUrl: string, count: number): Promise<{ fans: Fan[]; roundRef: string }> {
  // The cms's own PII functions, with the run's key, so the rows are exactly what a join would write.
  const { encryptPII, lookupHash, maskIdentifier } = await import('../../cms/src/lib/pii');
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const event = await db.query(`SELECT document_id FROM events WHERE keyword = 'DEMO' AND published_at IS NOT NULL LIMIT 1`);
    const round = await db.query(`SELECT document_id FROM rounds WHERE event_ref = $1 AND state = 'open' LIMIT 1`, [event.rows[0].document_id]);
    const fans: Fan[] = [];
    const now = new Date();
    for (let start = 0; start < count; start += 1000) {
      const fanRows: unknown[][] = [];
      const attendanceRows: unknown[][] = [];
      for (let i = start; i < Math.min(count, start + 1000); i += 1) {
        const phone = `+1202${String(2_000_000 + i).padStart(7, '0')}`;
        fans.push({ phone });
        const documentId = crypto.randomBytes(12).toString('hex');
        fanRows.push([documentId, encryptPII(phone), lookupHash(phone), maskIdentifier(phone), 'en', now]);
        attendanceRows.push([crypto.randomBytes(12).toString('hex'), event.rows[0].document_id, documentId, 'sms', now]);
      }
      const values = (rows: unknown[][], width: number) =>
        rows.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      await db.query(
        `INSERT INTO fans (document_id, phone_encrypted, phone_hash, phone_masked, language, first_seen, created_at, updated_at, published_at)
         SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6::timestamp, v.column6::timestamp, v.column6::timestamp, v.column6::timestamp
           FROM (VALUES ${values(fanRows, 6)}) AS v`,
        fanRows.flat()
      );
      await db.query(
        `INSERT INTO sms_voting_attendances (document_id, event_ref, fan_ref, source, created_at, updated_at, published_at)
         SELECT v.column1, v.column2, v.column3, v.column4, v.column5::timestamp, v.column5::timestamp, v.column5::timestamp
           FROM (VALUES ${values(attendanceRows, 5)}) AS v`,
        attendanceRows.flat()
      );
    }
    return { fans, roundRef: round.rows[0].document_id };
  } finally {
    await db.end();
  }
}

export function voteLoad(url: string, publicUrl: string, authToken: string, fans: Fan[], counted: { votes: number; other: string[] }) {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    amount: fans.length,
    timeout: 20,
    requests: [
      {
        method: 'POST',
        path: INBOUND_PATH,
        setupRequest: (request) => {
          const fan = fans[next++ % fans.length];
          const form = inboundForm({ from: fan.phone, body: String((next % 4) + 1) });
          return {
            ...request,
            body: new URLSearchParams(form).toString(),
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': signInbound(form, { authToken, publicUrl }),
            },
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('Vote counted')) counted.votes += 1;
          else if (counted.other.length < 5) counted.other.push(`${status} ${body.slice(0, 160)}`);
        },
      },
    ],
  });
}

export async function benchVoting() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  await ensureRedis(redisUrl);
  await buildServer();

  const database = await createScratchDatabase(baseUrl, 'bench_voting');
  const port = await freePort();
  const secrets = freshSecrets();
  Object.assign(process.env, secrets);
  const publicUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-${Date.now().toString(36)}`,
    PUBLIC_URL: publicUrl,
    SERVE_ADMIN: 'false',
    LOG_LEVEL: 'warn',
    OVATION_SEED_ON_EMPTY: 'true',
    SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
    STRAPI_TELEMETRY_DISABLED: 'true',
  };

  // BENCH_CMS_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the cms under load.
  const cms = await startCms(env, port, { nodeArgs: (process.env.BENCH_CMS_NODE_ARGS ?? '').split(' ').filter(Boolean) });
  try {
    console.log(`cms on PostgreSQL at ${cms.url}; joining ${WARMUP_VOTES + VOTES} fans …`);
    const { fans, roundRef } = await preJoinFans(database.url, WARMUP_VOTES + VOTES);

    // BENCH_PROFILE_VOTES=1 skips the ceiling so a --cpu-prof of the cms shows the vote path alone.
    const profiling = process.env.BENCH_PROFILE_VOTES === '1';
    console.log('warming up …');
    if (!profiling) await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: 3 });
    const warm = { votes: 0, other: [] as string[] };
    await voteLoad(cms.url, publicUrl, secrets.TWILIO_AUTH_TOKEN, fans.slice(0, WARMUP_VOTES), warm);

    console.log(`ceiling: GET /_health for ${HEALTH_SECONDS} s …`);
    const ceiling = summarize(await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: profiling ? 1 : HEALTH_SECONDS }));

    console.log(`votes: ${VOTES} signed inbound webhooks …`);
    const counted = { votes: 0, other: [] as string[] };
    const votes = summarize(await voteLoad(cms.url, publicUrl, secrets.TWILIO_AUTH_TOKEN, fans.slice(WARMUP_VOTES), counted));

    const db = new Client({ connectionString: database.url });
    await db.connect();
    const stored = Number((await db.query('SELECT count(*) AS n FROM sms_voting_votes WHERE round_ref = $1', [roundRef])).rows[0].n);
    const distinct = Number((await db.query('SELECT count(DISTINCT fan_ref) AS n FROM sms_voting_votes WHERE round_ref = $1', [roundRef])).rows[0].n);
    await db.end();

    const expectedInDb = warm.votes + votes.ok;
    const result = {
      benchmark: 'voting',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: { database: 'postgresql', connections: CONNECTIONS, votes: VOTES, warmupVotes: WARMUP_VOTES, loadGenerator: 'autocannon, same machine' },
      ceiling: { route: 'GET /_health', ...ceiling },
      votes: { route: `POST ${INBOUND_PATH}`, ...votes },
      ratioToCeiling: Math.round((votes.perSecond / ceiling.perSecond) * 1000) / 1000,
      integrity: {
        answered200: warm.votes + votes.ok,
        repliesSayingVoteCounted: warm.votes + counted.votes,
        votesInPostgres: stored,
        distinctFansInPostgres: distinct,
        lost: Math.max(0, expectedInDb - stored),
        duplicated: stored - distinct,
        ok: stored === expectedInDb && stored === distinct && counted.votes === votes.ok,
        unexpectedAnswers: [...warm.other, ...counted.other],
      },
      targets: { ratioToCeiling: 0.5, p99Ms: 150 },
      meetsTargets: undefined as boolean | undefined,
    };
    result.meetsTargets = result.ratioToCeiling >= 0.5 && votes.latencyMs.p99 <= 150 && result.integrity.ok;
    const file = writeResult('voting', result);
    console.log(JSON.stringify({ ceiling: ceiling.perSecond, votes: votes.perSecond, ratio: result.ratioToCeiling, p50: votes.latencyMs.p50, p99: votes.latencyMs.p99, integrity: result.integrity }, null, 2));
    console.log(`written to ${file}`);
    return result;
  } finally {
    await cms.stop();
    await database.drop();
  }
}
