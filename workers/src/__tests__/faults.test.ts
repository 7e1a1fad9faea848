import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { encryptPII, lookupHash, maskIdentifier } from '../../../cms/src/lib/pii';
import { nextPhoneNumber } from '../../../cms/test/phones';
import { bootStrapi } from '../../../cms/test/strapi';
import { createVotingEvent } from '../../../plugins/sms-voting/server/src/__tests__/fixtures';
import { startCms } from '../../../scripts/lib/cms-process';
import { freePort } from '../../../scripts/lib/ports';
import { startRedisServer, type RedisServer } from '../../../scripts/lib/redis-server';
import { INBOUND_PATH, inboundForm, signInbound } from '../../../scripts/lib/twilio-inbound';
import { startFakeTwilio } from '../../../scripts/lib/fake-twilio';
import { until } from './pool';
import { startWorkerProcess, type WorkerProcess } from '../../../scripts/lib/worker-process';

const ACCOUNT = 'AC00000000000000000000000000000002';
const CMS_APP = 'ovation-faults-cms';
const WORKER_APP = 'ovation-faults-worker';

/** The run's database URL, with an application name: how the test finds (and cuts) a process's connections. */
const named = (application: string) => {
  const url = new URL(process.env.DATABASE_URL as string);
  url.searchParams.set('application_name', application);
  return url.toString();
};

/**
 * Faults injected from outside, as they happen on an event night: a Redis of the test's own stopped,
 * restarted empty; worker processes killed with SIGKILL; a job that takes its worker down every time.
 * A cms process and worker processes run on the test run's database; a local server plays Twilio.
 * Whatever happens, every fan is texted exactly once.
 */
describe.runIf(process.env.DATABASE_URL)('durable jobs under faults (PostgreSQL)', () => {
  let strapi: Core.Strapi;
  let redis: RedisServer;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let cms: Awaited<ReturnType<typeof startCms>>;
  let adminToken: string;
  const workers: WorkerProcess[] = [];

  const workerEnv = (extra: Record<string, string> = {}) => ({
    REDIS_URL: redis.url,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: 'worker-side-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: twilio.url,
    JOB_LEASE_MS: '2000',
    JOB_SWEEP_INTERVAL_MS: '250',
    SMS_SEND_RATE_PER_SECOND: '50',
    DATABASE_URL: named(WORKER_APP),
    ...extra,
  });
  const startWorker = async (extra?: Record<string, string>) => {
    const worker = await startWorkerProcess(workerEnv(extra));
    workers.push(worker);
    return worker;
  };

  /** An event of its own with `count` joined fans (rows as a keyword join writes them), and a pending round to open. */
  const eventWithFans = async (count: number) => {
    const event = await createVotingEvent(strapi);
    const phones = Array.from({ length: count }, () => nextPhoneNumber());
    const now = new Date();
    const fans = phones.map((phone) => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      phone_encrypted: encryptPII(phone),
      phone_hash: lookupHash(phone),
      phone_masked: maskIdentifier(phone),
      language: 'en',
      first_seen: now,
      created_at: now,
      updated_at: now,
      published_at: now,
    }));
    await strapi.db.connection.batchInsert('fans', fans, 200);
    await strapi.db.connection.batchInsert(
      'sms_voting_attendances',
      fans.map((fan) => ({ document_id: crypto.randomBytes(12).toString('hex'), event_ref: event.eventRef, fan_ref: fan.document_id, source: 'sms', created_at: now, updated_at: now, published_at: now })),
      200
    );
    const round = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    return { ...event, phones, fanRefs: fans.map((fan) => fan.document_id), nextRound: round.documentId };
  };

  /** An editor opens the round in the admin (the cms process's admin API). */
  const openRound = (roundRef: string) =>
    fetch(`${cms.url}/sms-voting/rounds/${roundRef}/open`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });

  const notifications = (roundRef: string) =>
    strapi.db.connection('messages').where({ topic: `round-open:${roundRef}` }).select('id', 'state', 'idempotency_key');

  /** Waits until every fan's notification is sent and no send job is left to run, then returns Twilio's count per fan. */
  const allSent = async (roundRef: string, phones: string[], ms = 90_000) => {
    await until(async () => {
      const rows = await notifications(roundRef);
      return rows.length === phones.length && rows.every((row: { state: string }) => row.state === 'sent');
    }, ms, `all ${phones.length} notifications sent`);
    await until(async () => {
      const pending = await strapi.db.connection('ops_jobs').where('idempotency_key', 'like', `message.send:round-open:${roundRef}:%`).whereIn('state', ['queued', 'running']).count({ n: '*' }).first();
      return Number(pending?.n) === 0;
    }, ms, 'no send job left');
    const counts = twilio.countsByRecipient();
    return phones.map((phone) => counts.get(phone) ?? 0);
  };

  const signedInbound = (from: string, body: string) => {
    const form = inboundForm({ from, body });
    return fetch(`${cms.url}${INBOUND_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signInbound(form, { authToken: process.env.TWILIO_AUTH_TOKEN as string, publicUrl: process.env.PUBLIC_URL as string }) },
      body: new URLSearchParams(form).toString(),
    });
  };

  beforeAll(async () => {
    strapi = await bootStrapi();
    redis = await startRedisServer();
    twilio = await startFakeTwilio();
    cms = await startCms({ REDIS_URL: redis.url, SMS_VOTING_SCHEDULE_INTERVAL_MS: '0', DATABASE_URL: named(CMS_APP) }, await freePort());
    const email = `oncall-${crypto.randomBytes(4).toString('hex')}@ovation.test`;
    const password = `Pw${crypto.randomBytes(8).toString('hex')}9`;
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await strapi.service('admin::user').create({ email, password, firstname: 'On', lastname: 'Call', isActive: true, roles: [superAdmin.id] });
    const login = await fetch(`${cms.url}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
    adminToken = ((await login.json()) as { data: { token: string } }).data.token;
    await startWorker();
  }, 180_000);

  afterAll(async () => {
    // FAULTS_DEBUG=1 prints what the workers logged, to see what happened when a case fails.
    if (process.env.FAULTS_DEBUG) for (const process of [cms, ...workers]) console.log(process?.output().slice(-6000));
    await Promise.all(workers.map((worker) => worker.stop()));
    await cms?.stop();
    await twilio?.close();
    await redis?.stop();
  });

  it('cms and workers stay up through a 5-second Redis outage: 503 with Retry-After meanwhile, and work resumes after', async () => {
    const event = await eventWithFans(20);
    expect((await openRound(event.nextRound)).status).toBe(200);
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));

    await redis.stop();
    const outageStarted = Date.now();
    const started = Date.now();
    const vote = await signedInbound(event.phones[0], '1');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(vote.status).toBe(503);
    expect(vote.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await vote.json()) as { error: { status: number; name: string } }).error).toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
    const webVote = await fetch(`${cms.url}/api/sms-voting/votes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(24), choice: '1' }) });
    expect(webVote.status).toBe(503);
    const ready = await fetch(`${cms.url}/_ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { redis: { ok: boolean } }).redis.ok).toBe(false);
    // Content stays readable, still within per-client budgets (counted in this cms's memory meanwhile).
    const read = Date.now();
    const content = await fetch(`${cms.url}/api/events`);
    expect(Date.now() - read).toBeLessThan(1_500);
    expect(content.status).toBe(200);
    expect(content.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);

    while (Date.now() - outageStarted < 5_000) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cms.process.exitCode).toBeNull();
    expect(workers.every((worker) => worker.alive())).toBe(true);
    await redis.start();

    // Votes are taken again, and the next round's notifications go out once each.
    await until(async () => (await signedInbound(event.phones[1], '2')).status === 200, 10_000, 'votes answered again');
    const again = await eventWithFans(20);
    expect((await openRound(again.nextRound)).status).toBe(200);
    expect(await allSent(again.nextRound, again.phones)).toEqual(again.phones.map(() => 1));
    expect(workers.every((worker) => worker.alive())).toBe(true);
    expect(workers[0].output()).not.toMatch(/NOSCRIPT/);
  });

  /** Cuts every PostgreSQL connection of an application, as a database failover or restart does. */
  const cutConnections = async (application: string) => {
    const result = await strapi.db.connection.raw('SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = ?', [application]);
    return Number(result.rows[0].n);
  };

  it('answers 503, never 500, while its PostgreSQL connections are cut, and recovers by itself', async () => {
    const event = await eventWithFans(120);
    expect((await openRound(event.nextRound)).status).toBe(200);
    const statuses: number[] = [];
    let cut = 0;
    for (let wave = 0; wave < 4; wave += 1) {
      const fans = event.phones.slice(wave * 30, wave * 30 + 30);
      let answered = false;
      const votes = Promise.all(fans.map(async (phone) => (await signedInbound(phone, '1')).status)).finally(() => (answered = true));
      // Cut again and again while the votes are in flight, so some queries die mid-way.
      while (!answered) {
        cut += await cutConnections(CMS_APP);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      statuses.push(...(await votes));
    }
    expect(cut).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    // A fan whose vote was refused tries again, and is counted now.
    await until(async () => (await signedInbound(event.phones[0], '2')).status === 200, 10_000, 'votes answered again');
    expect(cms.process.exitCode).toBeNull();
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
  });

  it("keeps every web vote it accepted, alone or in the site's batches, and leaves every refused link for a retry, while its PostgreSQL connections are cut", async () => {
    const event = await eventWithFans(120);
    expect((await openRound(event.nextRound)).status).toBe(200);
    const tokens = strapi.plugin('sms-voting').service('tokens');
    const links = await Promise.all(event.fanRefs.map(async (fanRef) => ({ fanRef, token: (await tokens.issue({ roundRef: event.nextRound, fanRef })) as string })));
    const vote = async (token: string) =>
      (await fetch(`${cms.url}/api/sms-voting/votes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, choice: '1' }) })).status;

    // The site's way: one request for many fans, each vote answered in its place (a refused batch is every vote's 503).
    const voteTogether = async (wave: typeof links) => {
      const res = await fetch(`${cms.url}/api/sms-voting/votes/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-ovation-site-token': process.env.SITE_TOKEN as string },
        body: JSON.stringify({ votes: wave.map((link, i) => ({ token: link.token, choice: '1', address: `10.77.0.${i + 1}` })) }),
      });
      const outcomes = res.status === 200 ? ((await res.json()).data as { status: number }[]).map((outcome) => outcome.status) : wave.map(() => res.status);
      wave.forEach((link, i) => answers.set(link.fanRef, outcomes[i]));
    };

    const answers = new Map<string, number>();
    let cut = 0;
    for (let wave = 0; wave < 4; wave += 1) {
      let answered = false;
      const fans = links.slice(wave * 30, wave * 30 + 30);
      const votes = (wave % 2 === 0 ? Promise.all(fans.map(async (link) => answers.set(link.fanRef, await vote(link.token)))) : voteTogether(fans)).finally(() => (answered = true));
      // Cut again and again while the votes are in flight: some batches die before, some after their commit.
      while (!answered) {
        cut += await cutConnections(CMS_APP);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await votes;
    }
    expect(cut).toBeGreaterThan(0);
    expect([...answers.values()].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    const stored = async () =>
      new Map(
        ((await strapi.db.connection('sms_voting_votes').where({ round_ref: event.nextRound }).select('fan_ref').count({ n: '*' }).groupBy('fan_ref')) as { fan_ref: string; n: string }[]).map(
          (row) => [row.fan_ref, Number(row.n)]
        )
      );
    // Every vote answered 201 is stored, once.
    const accepted = [...answers].filter(([, status]) => status === 201).map(([fanRef]) => fanRef);
    const afterCuts = await stored();
    expect(accepted.map((fanRef) => afterCuts.get(fanRef))).toEqual(accepted.map(() => 1));

    // A link refused with 503 votes when tried again, or says it already did (its batch had committed).
    const refused = links.filter((link) => answers.get(link.fanRef) === 503);
    await until(async () => (await vote(links[0].token)) !== 503, 10_000, 'web votes answered again');
    for (const link of refused) expect([201, 409]).toContain(await vote(link.token));
    const final = await stored();
    expect(links.map((link) => final.get(link.fanRef))).toEqual(links.map(() => 1));
    const spent = await strapi.db.connection('sms_voting_vote_tokens').where({ round_ref: event.nextRound }).whereNull('used_at').count({ n: '*' }).first();
    expect(Number(spent?.n)).toBe(0);
    // The live count (Redis) comes to agree with the stored votes: those whose answer was lost are
    // settled (looked up and counted) within seconds.
    const totalVotes = async () => (await (await fetch(`${cms.url}/api/sms-voting/events/${event.slug}/leaderboard`)).json()).data.totalVotes;
    await until(async () => (await totalVotes()) === links.length, 10_000, 'the live board counting every stored vote');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await totalVotes()).toBe(links.length);
  });

  it('texts each of 200 fans exactly once when the worker loses its PostgreSQL connections in the middle', async () => {
    const event = await eventWithFans(200);
    expect((await openRound(event.nextRound)).status).toBe(200);
    for (const threshold of [40, 100, 160]) {
      await until(() => event.phones.filter((phone) => twilio.countsByRecipient().has(phone)).length >= threshold, 60_000, `${threshold} sent`);
      expect(await cutConnections(WORKER_APP)).toBeGreaterThan(0);
    }
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
    expect(workers.every((worker) => worker.alive())).toBe(true);
  });

  it('texts every fan exactly once when Redis is down between the round opening and its hand-off', async () => {
    const event = await eventWithFans(30);
    await redis.stop();
    expect((await openRound(event.nextRound)).status).toBe(200);
    expect(await strapi.db.connection('ops_jobs').where({ idempotency_key: `round.notify:${event.nextRound}` }).first()).toMatchObject({ state: 'queued' });
    await redis.start();
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
  });

  it('texts each of 200 fans exactly once when Redis restarts empty in the middle', async () => {
    const event = await eventWithFans(200);
    expect((await openRound(event.nextRound)).status).toBe(200);
    await until(() => event.phones.filter((phone) => twilio.countsByRecipient().has(phone)).length >= 50, 30_000, '50 sent');
    await redis.restart();
    const restarted = Date.now();
    const sentBefore = event.phones.filter((phone) => twilio.countsByRecipient().has(phone)).length;
    await until(() => event.phones.filter((phone) => twilio.countsByRecipient().has(phone)).length > sentBefore, 10_000, 'a send after the restart');
    expect(Date.now() - restarted).toBeLessThan(5_000);
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
  });

  it('texts each of 200 fans exactly once when the worker is killed three times in the middle', async () => {
    const event = await eventWithFans(200);
    expect((await openRound(event.nextRound)).status).toBe(200);
    // Three kills can each catch the same job running (a job that crashed runs alone afterwards): that
    // is not a poison job, so the workers here allow one crash more than the kills (the poison rule
    // itself is the next test's).
    for (const threshold of [40, 90, 140]) {
      await until(() => event.phones.filter((phone) => twilio.countsByRecipient().has(phone)).length >= threshold, 60_000, `${threshold} sent`);
      await workers.find((worker) => worker.alive())?.kill();
      await startWorker({ JOB_MAX_CRASHES: '4' });
    }
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
    // Three worker restarts, each loading Strapi, and the jobs a killed worker held then run one at a
    // time (a job that crashed runs alone): 10 to 60 s on 2 cores, so the default minute is too tight.
  }, 150_000);

  it('marks a job that takes its worker down every time dead after 3 tries, and sends everything else once', async () => {
    const poison = nextPhoneNumber();
    twilio.neverAnswer(poison);
    const others = Array.from({ length: 20 }, () => nextPhoneNumber());
    const key = `poison:${crypto.randomUUID()}`;
    await strapi.service('api::message.message').queue([
      { channel: 'sms', to: poison, body: 'This one never gets through', purpose: 'test', idempotencyKey: key },
      ...others.map((to, i) => ({ channel: 'sms' as const, to, body: `Fine ${i}`, purpose: 'test', idempotencyKey: `${key}:${i}` })),
    ]);
    // Handed over by the workers' sweeper: the test app's own hand-offs went to the shared Redis.
    await strapi.db.connection('ops_jobs').where('idempotency_key', 'like', `message.send:${key}%`).update({ pushed_at: null });
    const poisonJob = () => strapi.db.connection('ops_jobs').where({ idempotency_key: `message.send:${key}` }).first();

    for (let kill = 1; kill <= 3; kill += 1) {
      // Its send is in flight at Twilio right now: this worker is running it (and will not come back).
      await until(() => twilio.hangingFor(poison) > 0, 40_000, `the poison job running (${kill})`);
      await workers.find((worker) => worker.alive())?.kill();
      await startWorker();
    }
    await until(async () => (await poisonJob()).state === 'dead', 15_000, 'the poison job dead');
    expect(await poisonJob()).toMatchObject({ state: 'dead', crashes: 3, attempts: 3, last_error: expect.stringMatching(/worker stopped/) });

    const counts = twilio.countsByRecipient();
    await until(() => others.every((to) => twilio.countsByRecipient().get(to) === 1), 30_000, 'the others sent');
    // Never handed out again: still dead, no new attempt, a few sweeps later.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await poisonJob()).toMatchObject({ state: 'dead', attempts: 3 });
    expect(others.map((to) => twilio.countsByRecipient().get(to))).toEqual(others.map(() => 1));
    expect(counts.get(poison)).toBeUndefined();
  });

  it('sends 250 messages exactly once through a shared send-rate throttle that takes far longer than a lease', async () => {
    await Promise.all(workers.filter((worker) => worker.alive()).map((worker) => worker.stop()));
    // Two workers, 25 messages a second between them: 10 s of draining against 1.5 s leases.
    await startWorker({ SMS_SEND_RATE_PER_SECOND: '25', JOB_LEASE_MS: '1500' });
    await startWorker({ SMS_SEND_RATE_PER_SECOND: '25', JOB_LEASE_MS: '1500' });
    const phones = Array.from({ length: 250 }, () => nextPhoneNumber());
    const key = `throttled:${crypto.randomUUID()}`;
    await strapi.service('api::message.message').queue(phones.map((to, i) => ({ channel: 'sms' as const, to, body: `Throttled ${i}`, purpose: 'test', topic: key, idempotencyKey: `${key}:${i}` })));
    await strapi.db.connection('ops_jobs').where('idempotency_key', 'like', `message.send:${key}%`).update({ pushed_at: null });
    const started = Date.now();
    await until(async () => {
      const sent = await strapi.db.connection('messages').where({ topic: key, state: 'sent' }).count({ n: '*' }).first();
      return Number(sent?.n) === 250;
    }, 60_000, '250 sent');
    expect(Date.now() - started).toBeGreaterThan(7_500);
    expect(phones.map((to) => twilio.countsByRecipient().get(to))).toEqual(phones.map(() => 1));
  });

  it('puts no phone number, email or voting token in Redis', async () => {
    await Promise.all(workers.filter((worker) => worker.alive()).map((worker) => worker.stop()));
    // Notifications queued and handed over, none sent: every hand-off is still waiting in Redis.
    await startWorker({ WORKER_JOBS: 'round.notify' });
    const event = await eventWithFans(20);
    await signedInbound(event.phones[0], '1');
    expect((await openRound(event.nextRound)).status).toBe(200);
    await until(async () => (await notifications(event.nextRound)).length === 20, 30_000, '20 notifications queued');

    const client = new Redis(redis.url);
    try {
      // The hand-offs are in Redis (after their commit, or the next sweep), waiting for a worker that runs message.send.
      const waiting = `${process.env.REDIS_PREFIX}:message.send:waiting`;
      await until(async () => (await client.llen(waiting)) >= 1, 15_000, 'message.send hand-offs waiting in Redis');
      const keys = await client.keys('*');
      const dump: string[] = [...keys];
      for (const key of keys) {
        const type = await client.type(key);
        if (type === 'string') dump.push(String(await client.get(key)));
        if (type === 'hash') dump.push(...Object.values(await client.hgetall(key)));
        if (type === 'list') dump.push(...(await client.lrange(key, 0, -1)));
        if (type === 'set') dump.push(...(await client.smembers(key)));
        if (type === 'zset') dump.push(...(await client.zrange(key, 0, -1)));
      }
      const text = dump.join('\n');
      const bodies = await Promise.all((await notifications(event.nextRound)).map((row: { id: number }) => strapi.service('api::message.message').forSending(row.id)));
      const tokens = bodies.map((message) => /\/vote\/([\w-]+)/.exec(message?.body ?? '')?.[1]).filter(Boolean) as string[];
      expect(tokens).toHaveLength(20);
      for (const secret of [...event.phones, ...event.phones.map((phone) => phone.slice(1)), ...tokens]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/@[\w-]+\.\w+/);
    } finally {
      client.disconnect();
    }
    await workers.at(-1)?.stop();
    await startWorker();
    expect(await allSent(event.nextRound, event.phones)).toEqual(event.phones.map(() => 1));
  });

  it('has the Bee-Queue scripts in Redis again after its restarts, so stall checks run, and logged no failed stall check', async () => {
    // Bee-Queue calls its Lua scripts by their SHA-1: they must be in Redis, or every call fails.
    const dir = path.dirname(require.resolve('bee-queue/lib/lua/index.js'));
    const shas = fs.readdirSync(dir).filter((file) => file.endsWith('.lua')).map((file) => crypto.createHash('sha1').update(fs.readFileSync(path.join(dir, file))).digest('hex'));
    const client = new Redis(redis.url);
    try {
      expect(await client.script('EXISTS', ...shas)).toEqual(shas.map(() => 1));
    } finally {
      client.disconnect();
    }
    expect(workers.length).toBeGreaterThan(5);
    for (const worker of workers) expect(worker.output()).not.toMatch(/NOSCRIPT|stalled/i);
  });
});
