import crypto from 'crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric Ovation exports, in one registry per process. The cms and the workers
 * load this same module (the plugins through `@ovation/workers/jobs`), so a plugin's counter and the
 * cms's `/metrics` meet here. Labels are closed sets (a route pattern, a job name, an outcome): never
 * a raw URL, a phone number or a token. A job's name is the label `queue` (each job has its own
 * queue), since Prometheus keeps `job` for the scrape job.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'ovation_http_request_duration_seconds',
  help: 'cms HTTP requests by method, route pattern (or "unmatched") and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const smsInbound = new Counter({
  name: 'ovation_sms_inbound_total',
  help: 'Inbound SMS handled by the Twilio webhook, by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const votes = new Counter({
  name: 'ovation_votes_total',
  help: 'Votes by channel (sms, web), result (accepted, refused) and reason',
  labelNames: ['channel', 'result', 'reason'] as const,
  registers: [registry],
});

export const joins = new Counter({
  name: 'ovation_joins_total',
  help: 'Keyword joins by outcome (joined, already_joined, full, ended)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'ovation_job_duration_seconds',
  help: 'Job attempts by queue (job name) and outcome (done, retry, failed, postponed)',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [...SECONDS, 30, 60, 300],
  registers: [registry],
});

export const jobFailures = new Counter({
  name: 'ovation_job_failures_total',
  help: 'Failed job attempts by queue (job name) and whether the job failed for good (final) or will be retried',
  labelNames: ['queue', 'final'] as const,
  registers: [registry],
});

export const jobsReaped = new Counter({
  name: 'ovation_jobs_reaped_total',
  help: 'Jobs whose worker stopped renewing their lease, by queue (job name) and what became of them (queued, dead)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const messageDeliveries = new Counter({
  name: 'ovation_message_deliveries_total',
  help: 'Outbox messages by outcome (sent, suppressed, failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** What the process can be asked at scrape time; each part is optional (a cms has no job store of its own). */
export type MetricSources = {
  /** The database pool's connections in use, idle and waited for. */
  pool?: () => { used: number; free: number; pending: number; max: number };
  /** A round trip to the database (throws when it is away). */
  pingDatabase?: () => Promise<void>;
  /** A round trip to Redis (throws when it is away). */
  pingRedis?: () => Promise<void>;
  /** The job queue per job name: queued and due, running with an expired lease, oldest due. */
  queue?: () => Promise<{ job: string; waiting: number; stalled: number; oldestWaitingSeconds: number; byState: Record<string, number> }[]>;
  /** The newest successful backup and the newest verification (filled in by the backup job). */
  backups?: () => Promise<{ lastSuccessAt: Date | null; lastVerifiedAt: Date | null; lastVerificationOk: boolean | null }>;
};

const sources: MetricSources = {};

type Pool = { numUsed(): number; numFree(): number; numPendingAcquires(): number; max: number };

/** The pool and round-trip sources of a knex connection (the cms's, or a worker's own). */
export function databaseSources(knex: { client: unknown; raw(sql: string): PromiseLike<unknown> }): Pick<MetricSources, 'pool' | 'pingDatabase'> {
  const pool = (knex.client as { pool?: Pool }).pool;
  return {
    pool: pool && (() => ({ used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max })),
    pingDatabase: async () => void (await knex.raw('SELECT 1')),
  };
}

/**
 * Connects this process's sources (the cms and the workers at start). A source's gauges are exported
 * only once it is connected, so a process never reports a dependency it does not watch as down (an
 * unlabelled gauge would otherwise read 0).
 */
export function setMetricSources(more: MetricSources) {
  for (const [name, source] of Object.entries(more) as [keyof MetricSources, never][]) {
    if (!source) continue;
    const first = !sources[name];
    sources[name] = source;
    if (first) gaugesFor[name]();
  }
}

const PING_TIMEOUT_MS = 1_000;
const timed = async (ping: () => Promise<void>) => {
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS)))]);
    return { up: 1, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch {
    return { up: 0, seconds: PING_TIMEOUT_MS / 1000 };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * One read of a source per scrape, shared by the gauges it fills: the registry collects every metric
 * at once, so each gauge awaits the same read instead of one filling the others (which would then be
 * serialised before it finished, a scrape behind).
 */
function perScrape<T>(read: () => Promise<T>) {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}

const pingGauges = (name: 'redis' | 'database', source: () => (() => Promise<void>) | undefined) => () => {
  const ping = perScrape(() => timed(source() as () => Promise<void>));
  new Gauge({
    name: `ovation_${name}_up`,
    help: `1 when ${name} answered a ping within a second at scrape time`,
    registers: [registry],
    async collect() {
      this.set((await ping()).up);
    },
  });
  new Gauge({
    name: `ovation_${name}_ping_seconds`,
    help: `Round trip of a ${name} ping at scrape time`,
    registers: [registry],
    async collect() {
      this.set((await ping()).seconds);
    },
  });
};

type QueueRow = Awaited<ReturnType<NonNullable<MetricSources['queue']>>>[number];

const gaugesFor: Record<keyof MetricSources, () => void> = {
  pool: () =>
    new Gauge({
      name: 'ovation_db_pool_connections',
      help: 'Database pool connections of this process by state (used, free, pending acquires, max)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        for (const [state, value] of Object.entries(sources.pool!())) this.set({ state }, value);
      },
    }),
  pingRedis: pingGauges('redis', () => sources.pingRedis),
  pingDatabase: pingGauges('database', () => sources.pingDatabase),
  queue: () => {
    const health = perScrape(() => sources.queue!().catch(() => null));
    const queueGauge = (name: string, help: string, fill: (gauge: Gauge<'queue' | 'state'>, row: QueueRow) => void) =>
      new Gauge({
        name,
        help,
        labelNames: name === 'ovation_queue_jobs' ? ['queue', 'state'] : ['queue'],
        registers: [registry],
        async collect() {
          const rows = await health();
          if (!rows) return; // the database is away: the last values stay, ovation_database_up says why
          this.reset();
          for (const row of rows) fill(this, row);
        },
      });
    queueGauge('ovation_queue_waiting_jobs', 'Queued jobs that are due (the backlog), by queue (job name)', (g, row) => g.set({ queue: row.job }, row.waiting));
    queueGauge('ovation_queue_stalled_jobs', 'Running jobs whose lease ran out (their worker stopped), by queue', (g, row) => g.set({ queue: row.job }, row.stalled));
    queueGauge('ovation_queue_oldest_waiting_seconds', 'Age of the oldest due queued job, by queue', (g, row) => g.set({ queue: row.job }, row.oldestWaitingSeconds));
    queueGauge('ovation_queue_jobs', 'Jobs in the durable queue by queue (job name) and state', (g, row) => {
      for (const [state, count] of Object.entries(row.byState)) g.set({ queue: row.job, state }, count);
    });
  },
  // The hook for the backup job: setMetricSources({ backups }) exports these three.
  backups: () => {
    const status = perScrape(() => sources.backups!().catch(() => null));
    const backupGauge = (name: string, help: string, value: (s: NonNullable<Awaited<ReturnType<typeof status>>>) => number | null) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const current = await status();
          const v = current && value(current);
          if (v !== null && v !== undefined) this.set(v);
        },
      });
    backupGauge('ovation_backup_last_success_timestamp_seconds', 'When the newest successful backup finished (Unix seconds)', (s) => (s.lastSuccessAt ? s.lastSuccessAt.getTime() / 1000 : null));
    backupGauge('ovation_backup_last_verification_timestamp_seconds', 'When the newest backup verification ran (Unix seconds)', (s) => (s.lastVerifiedAt ? s.lastVerifiedAt.getTime() / 1000 : null));
    backupGauge('ovation_backup_last_verification_ok', '1 when the newest backup verification passed, 0 when it failed', (s) => (s.lastVerificationOk === null ? null : Number(s.lastVerificationOk)));
  },
};

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function scrapeAuthorized(authorization: string | undefined, token: string) {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const given = crypto.createHash('sha256').update(match[1].trim()).digest();
  const expected = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(given, expected);
}

/** The body of an answer to an unauthorized scrape, in Strapi's error shape (what every cms error looks like). */
export const unauthorizedScrape = () => ({
  data: null,
  error: { status: 401, name: 'UnauthorizedError', message: 'Metrics need the bearer token (METRICS_TOKEN)', details: {} },
});

export const renderMetrics = async () => ({ contentType: registry.contentType, body: await registry.metrics() });

// What an inbound SMS's outcome means for the vote and join counters (the sms-voting plugin's outcomes).
const VOTE_REFUSALS = new Set(['already_voted', 'round_closed', 'unknown_code', 'no_open_round', 'not_joined']);
const JOIN_OUTCOMES = new Set(['joined', 'already_joined', 'full', 'ended']);

/** Counts an inbound SMS by its outcome, and as a vote or a join where it is one. */
export function countInboundSms(outcome: string) {
  smsInbound.inc({ outcome });
  if (outcome === 'voted') votes.inc({ channel: 'sms', result: 'accepted', reason: 'none' });
  else if (VOTE_REFUSALS.has(outcome)) votes.inc({ channel: 'sms', result: 'refused', reason: outcome });
  else if (JOIN_OUTCOMES.has(outcome)) joins.inc({ outcome });
}

/** Counts a web vote: accepted, or refused with a reason from a closed set. */
export function countWebVote(reason: 'accepted' | 'invalid' | 'unknown_token' | 'token_used' | 'already_voted' | 'round_closed' | 'unknown_choice') {
  votes.inc({ channel: 'web', result: reason === 'accepted' ? 'accepted' : 'refused', reason: reason === 'accepted' ? 'none' : reason });
}
