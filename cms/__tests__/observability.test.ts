import { spawnSync } from 'child_process';
import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { createVotingEvent } from '../../plugins/sms-voting/server/src/__tests__/fixtures';
import { startCms, type CmsProcess } from '../../scripts/lib/cms-process';
import { startFakeTwilio } from '../../scripts/lib/fake-twilio';
import { freePort } from '../../scripts/lib/ports';
import { startRedisServer, type RedisServer } from '../../scripts/lib/redis-server';
import { startSentryReceiver } from '../../scripts/lib/sentry-receiver';
import { postInbound } from '../../scripts/lib/twilio-inbound';
import { startWorkerProcess, type WorkerProcess } from '../../scripts/lib/worker-process';
import { until } from '../../workers/src/__tests__/pool';
import { nextPhoneNumber } from '../test/phones';
import { bootStrapi, http } from '../test/strapi';

type Sample = { name: string; labels: Record<string, string>; value: number };

const METRICS_TOKEN = crypto.randomBytes(24).toString('base64url');
const ACCOUNT = 'AC00000000000000000000000000000003';
const TOKEN_IN_LINK = /\/vote\/([A-Za-z0-9_-]{16,})/;

/**
 * Prometheus's own parser (`promtool check metrics`) must accept the text: exit 0, or 3 for lint
 * remarks, which may only be about prom-client's `nodejs_*` defaults, never an ovation_* metric
 * (1 is unparsable). Then its samples are read for the values.
 */
function parseMetrics(text: string): Sample[] {
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(check.error, 'promtool is missing: apt-get install -y prometheus').toBeUndefined();
  expect([0, 3], check.stdout + check.stderr).toContain(check.status);
  expect(check.stdout + check.stderr).not.toMatch(/ovation_/);
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line) ?? [];
      return { name, labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v])), value: Number(value) };
    });
}

/** The sum of a metric's samples with these labels (0 when there are none). */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v)).reduce((sum, m) => sum + m.value, 0);

/**
 * The on-call engineer's view of a real night, against a production-mode cms process and a worker
 * process on the run's PostgreSQL: JSON log lines with request ids that follow a round opening into
 * the worker's jobs, no phone number, token or secret anywhere in what either process printed at
 * debug level, Prometheus metrics that move with the traffic, and errors that reach a local Sentry.
 */
describe.runIf(process.env.DATABASE_URL)('observability of the cms and the workers (PostgreSQL)', () => {
  let strapi: Core.Strapi;
  let redis: RedisServer;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let sentry: Awaited<ReturnType<typeof startSentryReceiver>>;
  let cms: CmsProcess;
  let worker: WorkerProcess;
  let workerMetricsUrl: string;
  let adminToken: string;
  let adminPassword: string;
  let adminEmail: string;
  // Everything personal or secret this test hands the processes, to look for in what they printed.
  const phones: string[] = [];
  const tokens: string[] = [];

  const inbound = (from: string, body: string) =>
    postInbound({ from, body }, { cmsUrl: cms.url, publicUrl: process.env.PUBLIC_URL as string, authToken: process.env.TWILIO_AUTH_TOKEN as string });

  const scrape = async (url: string, token: string | null = METRICS_TOKEN) => {
    const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { response, text: await response.text() };
  };
  const samplesAt = async (url: string) => {
    const { response, text } = await scrape(url);
    expect(response.status).toBe(200);
    expect(text).toMatch(/^# TYPE ovation_http_request_duration_seconds histogram$/m);
    return parseMetrics(text);
  };

  const jsonLines = (output: string) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    strapi = await bootStrapi();
    [redis, twilio, sentry] = await Promise.all([startRedisServer(), startFakeTwilio(), startSentryReceiver()]);
    const common = { NODE_ENV: 'production', LOG_LEVEL: 'debug', METRICS_TOKEN, SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: 'observability-test', REDIS_URL: redis.url };
    // The on-call admin below signs in with a password alone: a production Super Admin would otherwise
    // be sent to two-factor enrolment first (TWO_FACTOR_REQUIRED_ROLES' production default).
    cms = await startCms({ ...common, SMS_VOTING_SCHEDULE_INTERVAL_MS: '0', SENTRY_RELEASE: 'ovation@observability-test', TWO_FACTOR_REQUIRED_ROLES: '' }, await freePort(), { keepOutput: Infinity });
    const metricsPort = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    worker = await startWorkerProcess({
      ...common,
      WORKER_METRICS_PORT: String(metricsPort),
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.url,
      SMS_SEND_RATE_PER_SECOND: '0',
      JOB_SWEEP_INTERVAL_MS: '250',
    });
    const email = (adminEmail = `observer-${crypto.randomBytes(4).toString('hex')}@ovation.test`);
    adminPassword = `Pw${crypto.randomBytes(8).toString('hex')}9`;
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await strapi.service('admin::user').create({ email, password: adminPassword, firstname: 'On', lastname: 'Call', isActive: true, roles: [superAdmin.id] });
    const login = await fetch(`${cms.url}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: adminPassword }) });
    adminToken = ((await login.json()) as { data: { token: string } }).data.token;
  }, 240_000);

  afterAll(async () => {
    if (process.env.OBSERVABILITY_DEBUG) for (const p of [cms, worker]) console.log(p?.output().slice(-8000));
    await worker?.stop();
    await cms?.stop();
    await Promise.all([twilio?.close(), sentry?.close(), redis?.stop()]);
  });

  it('answers every request with a request id: the client’s when it is acceptable, else a new one', async () => {
    const given = `client-${crypto.randomBytes(4).toString('hex')}.1`;
    const echoed = await fetch(`${cms.url}/api/events`, { headers: { 'X-Request-Id': given } });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get('x-request-id')).toBe(given);

    for (const bad of ['has spaces in it', 'x'.repeat(129), '<script>', 'a/b', '']) {
      const response = await fetch(`${cms.url}/api/events`, { headers: bad ? { 'X-Request-Id': bad } : {} });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    // An error answer carries it too.
    const missing = await fetch(`${cms.url}/api/no-such-thing`, { headers: { 'X-Request-Id': `${given}-404` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe(`${given}-404`);

    await until(() => jsonLines(cms.output()).some((line) => line.requestId === given), 5_000, 'the request line');
    const line = jsonLines(cms.output()).find((l) => l.requestId === given && l.level === 'http');
    expect(line).toMatchObject({ method: 'GET', route: '/api/events', status: 200, message: expect.stringContaining('GET /api/events') });
    expect(typeof line?.durationMs).toBe('number');
    expect(typeof line?.timestamp).toBe('string');
  });

  it('carries a round opening’s request id into its jobs and the worker’s log lines', async () => {
    const event = await createVotingEvent(strapi);
    const [first, second] = [nextPhoneNumber(), nextPhoneNumber()];
    phones.push(first, second);

    // Two fans join by a signed SMS; the reply holds each one's voting link.
    for (const phone of [first, second]) {
      const joined = await inbound(phone, event.keyword);
      expect(joined.status).toBe(200);
      const token = TOKEN_IN_LINK.exec(joined.reply)?.[1];
      expect(token, joined.reply).toBeTruthy();
      tokens.push(token as string);
    }
    // One votes on the web with the link (after a look at it), the other by SMS; a second SMS vote is refused.
    expect((await fetch(`${cms.url}/api/sms-voting/tokens/${tokens[0]}`)).status).toBe(200);
    const webVote = await fetch(`${cms.url}/api/sms-voting/votes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: tokens[0], choice: '2' }) });
    expect(webVote.status).toBe(201);
    expect((await inbound(second, '1')).reply).toMatch(/Vote counted/);
    expect((await inbound(second, '3')).reply).toMatch(/already voted/i);

    // An editor opens the next round: the worker texts both fans their new links.
    const round = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    await strapi.documents('api::round.round').update({ documentId: event.roundRef, data: { state: 'closed' } as never });
    const requestId = `open-round-${crypto.randomBytes(6).toString('hex')}`;
    const opened = await fetch(`${cms.url}/sms-voting/rounds/${round.documentId}/open`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'X-Request-Id': requestId } });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('x-request-id')).toBe(requestId);
    await until(() => twilio.received.filter((m) => phones.includes(m.to)).length === 2, 30_000, 'both fans texted');
    for (const message of twilio.received) {
      const token = TOKEN_IN_LINK.exec(message.body)?.[1];
      if (token) tokens.push(token);
    }

    // The durable jobs carry the id: the round's notify job and the sends it queued.
    const jobs = await strapi.db.connection('ops_jobs').where('idempotency_key', 'like', `%${round.documentId}%`).select('name', 'request_id', 'state');
    expect(jobs.map((job: { name: string }) => job.name).sort()).toEqual(['message.send', 'message.send', 'round.notify']);
    expect(jobs.every((job: { request_id: string }) => job.request_id === requestId)).toBe(true);

    // And so do the worker's JSON lines for them.
    await until(() => jsonLines(worker.output()).filter((l) => l.requestId === requestId && l.job === 'message.send').length >= 2, 10_000, 'worker lines');
    const workerLines = jsonLines(worker.output()).filter((l) => l.requestId === requestId);
    expect(workerLines.some((l) => l.job === 'round.notify')).toBe(true);
    expect(workerLines.every((l) => l.service === 'workers' && typeof l.timestamp === 'string')).toBe(true);
    expect(jsonLines(cms.output()).some((l) => l.requestId === requestId && l.route === '/sms-voting/rounds/:documentId/open')).toBe(true);

    expect(tokens.length).toBeGreaterThanOrEqual(4);
  });

  it('serves /metrics only with METRICS_TOKEN (401 in Strapi’s error shape otherwise), outside the per-client budgets', async () => {
    for (const token of [null, 'wrong-token']) {
      const { response, text } = await scrape(`${cms.url}/metrics`, token);
      expect(response.status).toBe(401);
      expect(JSON.parse(text)).toMatchObject({ data: null, error: { status: 401, name: 'UnauthorizedError' } });
      expect((await scrape(workerMetricsUrl, token)).response.status).toBe(401);
    }
    const { response } = await scrape(`${cms.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('ratelimit-limit')).toBeNull();
    // The shared test app has no METRICS_TOKEN: there is no such route.
    expect((await (await http()).get('/metrics')).status).toBe(404);
  });

  it('counts requests by route pattern, votes, joins, jobs and deliveries, and the counters move with traffic', async () => {
    const before = await samplesAt(`${cms.url}/metrics`);
    const event = await createVotingEvent(strapi);
    const phone = nextPhoneNumber();
    phones.push(phone);
    const joined = await inbound(phone, event.keyword);
    const token = TOKEN_IN_LINK.exec(joined.reply)?.[1] as string;
    tokens.push(token);
    await fetch(`${cms.url}/api/sms-voting/tokens/${token}`);
    expect((await inbound(phone, '1')).status).toBe(200);
    expect((await fetch(`${cms.url}/api/sms-voting/votes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, choice: '1' }) })).status).toBe(409);
    const after = await samplesAt(`${cms.url}/metrics`);

    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('ovation_joins_total', { outcome: 'joined' })).toBe(1);
    expect(delta('ovation_votes_total', { channel: 'sms', result: 'accepted' })).toBe(1);
    expect(delta('ovation_votes_total', { channel: 'web', result: 'refused', reason: 'already_voted' })).toBe(1);
    expect(delta('ovation_sms_inbound_total', { outcome: 'voted' })).toBe(1);
    const inboundRoute = { route: '/api/sms-voting/twilio/inbound', method: 'POST', status: '200' };
    expect(delta('ovation_http_request_duration_seconds_count', inboundRoute)).toBe(2);
    expect(delta('ovation_http_request_duration_seconds_bucket', { ...inboundRoute, le: '+Inf' })).toBe(2);
    expect(delta('ovation_http_request_duration_seconds_count', { route: '/api/sms-voting/tokens/:token', status: '200' })).toBe(1);
    expect(valueOf(after, 'ovation_redis_up')).toBe(1);
    expect(valueOf(after, 'ovation_database_up')).toBe(1);
    expect(valueOf(after, 'ovation_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);

    // No label is a raw URL, a phone number or a token.
    const labels = after.flatMap((m) => Object.values(m.labels));
    for (const value of labels) {
      expect(tokens.some((t) => value.includes(t)) || phones.some((p) => value.includes(digitsOf(p)))).toBe(false);
      expect(value).not.toMatch(/\?|\/vote\//);
    }

    // The workers: jobs by type, deliveries, the queue, their own pool and Redis.
    const work = await samplesAt(workerMetricsUrl);
    expect(valueOf(work, 'ovation_job_duration_seconds_count', { queue: 'message.send', outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(work, 'ovation_job_duration_seconds_count', { queue: 'round.notify', outcome: 'done' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(work, 'ovation_message_deliveries_total', { outcome: 'sent' })).toBeGreaterThanOrEqual(2);
    expect(work.filter((m) => m.name === 'ovation_queue_waiting_jobs').map((m) => m.labels.queue)).toEqual(expect.arrayContaining(['message.send', 'round.notify']));
    expect(valueOf(work, 'ovation_queue_jobs', { queue: 'message.send', state: 'done' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(work, 'ovation_redis_up')).toBe(1);
    expect(valueOf(work, 'ovation_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
  });

  it('sends a thrown error to Sentry once, with release and environment and without personal data', async () => {
    const phone = nextPhoneNumber();
    phones.push(phone);
    const inboundTable = 'sms_voting_inbound_messages';
    const hidden = `${inboundTable}_hidden_${crypto.randomBytes(3).toString('hex')}`;
    const before = sentry.events().length;
    // A missing table is a bug, not an outage: the webhook answers 500 and the error is reported.
    await strapi.db.connection.raw(`ALTER TABLE ${inboundTable} RENAME TO ${hidden}`);
    let status: number;
    try {
      status = (await inbound(phone, 'VOTE 1')).status;
    } finally {
      await strapi.db.connection.raw(`ALTER TABLE ${hidden} RENAME TO ${inboundTable}`);
    }
    expect(status).toBe(500);
    await until(() => sentry.events().length > before, 10_000, 'an event at the receiver');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const events = sentry.events().slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ release: 'ovation@observability-test', environment: 'observability-test', tags: expect.objectContaining({ service: 'cms' }) });
    expect(JSON.stringify(events[0])).toMatch(/does not exist/);

    // A send the provider refuses with the number in its message fails for good: reported once, scrubbed.
    const failing = nextPhoneNumber();
    phones.push(failing);
    const event = await createVotingEvent(strapi);
    expect((await inbound(failing, event.keyword)).status).toBe(200);
    const round = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    await strapi.documents('api::round.round').update({ documentId: event.roundRef, data: { state: 'closed' } as never });
    twilio.failNext(400, 21211, `The 'To' number ${failing} is not a valid phone number.`);
    expect((await fetch(`${cms.url}/sms-voting/rounds/${round.documentId}/open`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } })).status).toBe(200);
    await until(() => sentry.events().length > before + 1, 30_000, 'the worker’s event');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const workerEvents = sentry.events().slice(before + 1);
    expect(workerEvents).toHaveLength(1);
    expect(workerEvents[0]).toMatchObject({ environment: 'observability-test', tags: expect.objectContaining({ service: 'workers', queue: 'message.send' }) });
    expect(JSON.stringify(workerEvents[0])).toMatch(/is not a valid phone number/);

    const sent = sentry.envelopes.map((envelope) => envelope.raw).join('\n');
    for (const needle of [...phones, ...phones.map(digitsOf), ...tokens, process.env.TWILIO_AUTH_TOKEN as string, METRICS_TOKEN, adminToken]) {
      expect(sent.includes(needle), `sent ${needle.slice(0, 6)}…`).toBe(false);
    }
    expect(sent).not.toMatch(/x-twilio-signature":"[^[]/i);
  });

  // Last, so it covers everything above: joins, votes, two round openings, a refused send, a 500.
  it('printed no phone number, email, voting token or secret, at debug level, in anything either process wrote', async () => {
    const printed = cms.output() + worker.output();
    expect(printed.length).toBeGreaterThan(5_000);
    const secrets = [
      ...['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY', 'PII_ENCRYPTION_KEY', 'SITE_TOKEN', 'TWILIO_AUTH_TOKEN'].flatMap((name) =>
        (process.env[name] as string).split(',')
      ),
      METRICS_TOKEN,
      adminPassword,
      adminToken,
    ];
    const digitsOnly = (phone: string) => phone.replace(/^\+/, '');
    for (const needle of [...phones, ...phones.map(digitsOnly), adminEmail, ...tokens, ...secrets]) {
      expect(printed.includes(needle), `printed ${needle.slice(0, 6)}…`).toBe(false);
    }
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    // Twilio's refusal named the number: the worker's line about it came out scrubbed.
    expect(worker.output()).toMatch(/Twilio refused the message: The 'To' number \[phone\] is not a valid phone number/);
    // And so did what the admin shows of it: the job's last error and the message's.
    const stored = [
      ...(await strapi.db.connection('ops_jobs').whereNotNull('last_error').pluck('last_error')),
      ...(await strapi.db.connection('messages').whereNotNull('error').pluck('error')),
    ].join('\n');
    expect(stored).toMatch(/The 'To' number \[phone\] is not a valid phone number/);
    for (const needle of [...phones, ...phones.map(digitsOnly)]) expect(stored.includes(needle), `stored ${needle.slice(0, 6)}…`).toBe(false);
  });
});

const digitsOf = (phone: string) => phone.replace(/^\+/, '');
