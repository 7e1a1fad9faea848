/**
 * `npm run bench -- voting`: on PostgreSQL, from many pre-joined fans over 100 connections, in one
 * run against Strapi's own /_health on the same server (the ceiling every route shares):
 * - SMS votes: signed inbound webhooks at the cms;
 * - web votes: the fans' one-time links, posted to the site's `/api/votes`, which proxies to the cms.
 * Writes bench/results/voting.json.
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
import { deriveVoteToken, sha256 } from '../../plugins/sms-voting/server/src/utils/ids';
import { startSite } from '../../site/test/site-server';
import { redisUrlFromEnv } from '../../workers/src/settings';
import { machine, summarize, toLastAnswer, writeResult, type LoadResult } from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 100;
const VOTES = Number(process.env.BENCH_VOTES) || 15_000;
const WARMUP_VOTES = Number(process.env.BENCH_WARMUP_VOTES) || 2_000;
const HEALTH_SECONDS = Number(process.env.BENCH_HEALTH_SECONDS) || 10;
const WEB_VOTES = Number(process.env.BENCH_WEB_VOTES) || VOTES;
const WEB_WARMUP_VOTES = Number(process.env.BENCH_WEB_WARMUP_VOTES) || WARMUP_VOTES;
// Each vote path against the ceiling of the same run (issue 8's targets).
const TARGETS = { ratioToCeiling: 0.6, p99Ms: 150 };

export type Fan = { phone: string; documentId: string };

export async function preJoinFans(databaseUrl: string, count: number): Promise<{ fans: Fan[]; roundRef: string; eventRef: string }> {
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
        const documentId = crypto.randomBytes(12).toString('hex');
        fans.push({ phone, documentId });
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
    return { fans, roundRef: round.rows[0].document_id, eventRef: event.rows[0].document_id };
  } finally {
    await db.end();
  }
}

/**
 * The fans' voting links for the round, issued as the cms issues them (the plugin's derivation with
 * the first of APP_KEYS, stored as SHA-256 only), in bulk rather than one join reply at a time.
 */
export async function issueVoteTokens(databaseUrl: string, appKey: string, roundRef: string, eventRef: string, fans: Fan[]): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const tokens = fans.map((fan) => deriveVoteToken(appKey, roundRef, fan.documentId));
    const expires = new Date(Date.now() + 86_400_000);
    for (let start = 0; start < fans.length; start += 1000) {
      const slice = fans.slice(start, start + 1000);
      await db.query(
        `INSERT INTO sms_voting_vote_tokens (document_id, token_hash, fan_ref, event_ref, round_ref, expires_at, created_at, updated_at, published_at)
         SELECT md5(random()::text || h), h, f, $3, $4, $5, now(), now(), now() FROM unnest($1::text[], $2::text[]) AS t(h, f)`,
        [tokens.slice(start, start + slice.length).map(sha256), slice.map((fan) => fan.documentId), eventRef, roundRef, expires]
      );
    }
    return tokens;
  } finally {
    await db.end();
  }
}

/** Each token posted once to the site's vote endpoint, as the vote island sends it. */
export function webVoteLoad(siteUrl: string, tokens: string[], counted: { votes: number; other: string[] }) {
  let next = 0;
  return toLastAnswer((answered) => autocannon({
    url: siteUrl,
    connections: CONNECTIONS,
    amount: tokens.length,
    timeout: 20,
    requests: [
      {
        method: 'POST',
        path: '/api/votes',
        setupRequest: (request) => {
          const i = next++;
          return {
            ...request,
            body: JSON.stringify({ token: tokens[i % tokens.length], choice: String((i % 4) + 1) }),
            headers: { 'content-type': 'application/json', accept: 'application/json', origin: siteUrl },
          };
        },
        onResponse: (status, body) => {
          answered();
          if (status === 201 && body.includes('"ok":true')) counted.votes += 1;
          else if (counted.other.length < 5) counted.other.push(`${status} ${body.slice(0, 160)}`);
        },
      },
    ],
  }));
}

export function voteLoad(url: string, publicUrl: string, authToken: string, fans: Fan[], counted: { votes: number; other: string[] }) {
  let next = 0;
  return toLastAnswer((answered) => autocannon({
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
          answered();
          if (status === 200 && body.includes('Vote counted')) counted.votes += 1;
          else if (counted.other.length < 5) counted.other.push(`${status} ${body.slice(0, 160)}`);
        },
      },
    ],
  }));
}

export async function benchVoting() {
  const baseUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redisUrlFromEnv();
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
  // The site as fans reach it: its vote endpoint proxies to the cms with the site's token.
  // BENCH_SITE_NODE_ARGS profiles the site likewise.
  const site = await startSite(cms.url, { SITE_TOKEN: secrets.SITE_TOKEN }, undefined, {
    nodeArgs: (process.env.BENCH_SITE_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  try {
    const smsFans = WARMUP_VOTES + VOTES;
    console.log(`cms on PostgreSQL at ${cms.url}, site at ${site.url}; joining ${smsFans + WEB_WARMUP_VOTES + WEB_VOTES} fans …`);
    const { fans, roundRef, eventRef } = await preJoinFans(database.url, smsFans + WEB_WARMUP_VOTES + WEB_VOTES);
    const [appKey] = secrets.APP_KEYS.split(',');
    const tokens = await issueVoteTokens(database.url, appKey, roundRef, eventRef, fans.slice(smsFans));

    // BENCH_PROFILE_VOTES=1 skips the ceiling so a --cpu-prof of the cms shows the vote paths alone.
    const profiling = process.env.BENCH_PROFILE_VOTES === '1';
    console.log('warming up …');
    if (!profiling) await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: 3 });
    const warm = { votes: 0, other: [] as string[] };
    await voteLoad(cms.url, publicUrl, secrets.TWILIO_AUTH_TOKEN, fans.slice(0, WARMUP_VOTES), warm);
    const webWarm = { votes: 0, other: [] as string[] };
    await webVoteLoad(site.url, tokens.slice(0, WEB_WARMUP_VOTES), webWarm);

    console.log(`ceiling: GET /_health for ${HEALTH_SECONDS} s …`);
    const ceiling = summarize(await autocannon({ url: `${cms.url}/_health`, connections: CONNECTIONS, duration: profiling ? 1 : HEALTH_SECONDS }));

    console.log(`SMS votes: ${VOTES} signed inbound webhooks …`);
    const counted = { votes: 0, other: [] as string[] };
    const votes = summarize(await voteLoad(cms.url, publicUrl, secrets.TWILIO_AUTH_TOKEN, fans.slice(WARMUP_VOTES, smsFans), counted));

    console.log(`web votes: ${WEB_VOTES} one-time links through the site …`);
    const webCounted = { votes: 0, other: [] as string[] };
    const webVotes = summarize(await webVoteLoad(site.url, tokens.slice(WEB_WARMUP_VOTES), webCounted));

    const db = new Client({ connectionString: database.url });
    await db.connect();
    const countOf = async (sql: string, channel: string) => Number((await db.query(sql, [roundRef, channel])).rows[0].n);
    const stored = await countOf('SELECT count(*) AS n FROM sms_voting_votes WHERE round_ref = $1 AND channel = $2', 'sms');
    const distinct = await countOf('SELECT count(DISTINCT fan_ref) AS n FROM sms_voting_votes WHERE round_ref = $1 AND channel = $2', 'sms');
    const webStored = await countOf('SELECT count(*) AS n FROM sms_voting_votes WHERE round_ref = $1 AND channel = $2', 'web');
    const webDistinct = await countOf('SELECT count(DISTINCT fan_ref) AS n FROM sms_voting_votes WHERE round_ref = $1 AND channel = $2', 'web');
    const tokensSpent = Number((await db.query('SELECT count(*) AS n FROM sms_voting_vote_tokens WHERE round_ref = $1 AND used_at IS NOT NULL', [roundRef])).rows[0].n);
    await db.end();

    const expectedInDb = warm.votes + votes.ok;
    const webExpected = webWarm.votes + webVotes.ok;
    const ratio = (load: { perSecond: number }) => Math.round((load.perSecond / ceiling.perSecond) * 1000) / 1000;
    const result = {
      benchmark: 'voting',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      setup: {
        database: 'postgresql',
        connections: CONNECTIONS,
        votes: VOTES,
        warmupVotes: WARMUP_VOTES,
        webVotes: WEB_VOTES,
        webWarmupVotes: WEB_WARMUP_VOTES,
        loadGenerator: 'autocannon, same machine',
      },
      ceiling: { route: 'GET /_health', ...ceiling },
      votes: { route: `POST ${INBOUND_PATH}`, ...votes },
      ratioToCeiling: ratio(votes),
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
      webVotes: { route: 'POST /api/votes (site) → POST /api/sms-voting/votes (cms)', ...webVotes, ratioToCeiling: ratio(webVotes) },
      webIntegrity: {
        answered201: webExpected,
        votesInPostgres: webStored,
        distinctFansInPostgres: webDistinct,
        tokensSpent,
        lost: Math.max(0, webExpected - webStored),
        duplicated: webStored - webDistinct,
        ok: webStored === webExpected && webStored === webDistinct && tokensSpent === webStored && webCounted.votes === webVotes.ok,
        unexpectedAnswers: [...webWarm.other, ...webCounted.other],
      },
      targets: TARGETS,
      meetsTargets: undefined as boolean | undefined,
    };
    const meets = (load: LoadResult, ok: boolean) => ratio(load) >= TARGETS.ratioToCeiling && load.latencyMs.p99 <= TARGETS.p99Ms && ok;
    result.meetsTargets = meets(votes, result.integrity.ok) && meets(webVotes, result.webIntegrity.ok);
    const file = writeResult('voting', result);
    console.log(
      JSON.stringify(
        {
          ceiling: ceiling.perSecond,
          sms: { perSecond: votes.perSecond, ratio: result.ratioToCeiling, p50: votes.latencyMs.p50, p99: votes.latencyMs.p99, integrity: result.integrity },
          web: { perSecond: webVotes.perSecond, ratio: result.webVotes.ratioToCeiling, p50: webVotes.latencyMs.p50, p99: webVotes.latencyMs.p99, integrity: result.webIntegrity },
          meetsTargets: result.meetsTargets,
        },
        null,
        2
      )
    );
    console.log(`written to ${file}`);
    return result;
  } finally {
    await site.stop();
    await cms.stop();
    await database.drop();
  }
}
