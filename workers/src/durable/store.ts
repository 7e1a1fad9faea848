import crypto from 'crypto';
import type { JobName, JobPayloads } from '../catalogue';
import { queueSettings, jobTimings, type JobTimings } from '../settings';
import { currentRequestId } from '../observability/request-context';
import { batchedByTurn } from './batch';
import type { Knex } from './strapi-db';
import { scrubText } from '../observability/scrub';

/** The table every job is a row of (the ops plugin's `job` content type declares it for Strapi). */
export const JOBS_TABLE = 'ops_jobs';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dead';
export const JOB_STATES: JobState[] = ['queued', 'running', 'done', 'failed', 'dead'];

/** What the fast lane carries: the row id, and the attempt it is for (so a stale hand-off never hides a new one). */
export type JobRef = { id: number; name: JobName; attempts: number; crashes: number };
/** `requestId`: the request whose work enqueued the job (for log lines; an id, nothing personal). */
export type ClaimedJob = JobRef & { payload: unknown; maxAttempts: number; requestId: string | null };

export type NewJob<N extends JobName = JobName> = {
  name: N;
  payload: JobPayloads[N];
  /** The same key always means the same job: a second enqueue with it changes nothing. */
  key: string;
  dueAt?: Date;
  maxAttempts?: number;
  /** Defaults to the request id of the work in progress (see observability/request-context). */
  requestId?: string;
};

export type JobRow = {
  id: number;
  name: string;
  key: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  crashes: number;
  dueAt: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: string | null;
  finishedAt: string | null;
};

const CHUNK = 500;
const MAX_BACKOFF_MS = 3_600_000;

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? []));
const asDate = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string | number | Date));
const iso = (value: unknown) => asDate(value)?.toISOString() ?? null;
const parseJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));
const documentId = () => crypto.randomBytes(12).toString('hex');
const toRow = (row: Record<string, unknown>): JobRow => ({
  id: Number(row.id),
  name: row.name as string,
  key: row.idempotency_key as string,
  state: row.state as JobState,
  attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts),
  crashes: Number(row.crashes),
  dueAt: iso(row.due_at),
  lastError: (row.last_error as string | null) ?? null,
  result: parseJson(row.result),
  createdAt: iso(row.created_at),
  finishedAt: iso(row.finished_at),
});
const toRef = (row: Record<string, unknown>): JobRef => ({
  id: Number(row.id),
  name: row.name as JobName,
  attempts: Number(row.attempts),
  crashes: Number(row.crashes),
});

/** Delay before the attempt after `attempts` failed ones: the job's backoff, doubling, capped at an hour. */
export const backoffAfter = (name: JobName, attempts: number) =>
  Math.min(queueSettings[name].backoffMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

/**
 * The durable job queue: every job is a row in PostgreSQL (SQLite on a laptop), written in the
 * transaction of the change that causes it. A worker claims a row with a lease it renews while it
 * works; a finished, failed or abandoned attempt is decided by conditional updates, so any number of
 * workers and sweepers can run at once. Redis (the fast lane) only ever learns row ids.
 */
export function createJobStore({
  knex,
  postgres,
  timings = jobTimings(),
}: {
  /** The query builder to use now: the transaction in progress, else the pool. */
  knex: () => Promise<Knex>;
  postgres: boolean;
  timings?: JobTimings;
}) {
  // Never return a query builder from an async function: it is a thenable, so it would run there.
  const table = async () => {
    const db = await knex();
    return { db, jobs: () => db(JOBS_TABLE) };
  };

  const toClaimed = (row: Record<string, unknown>): ClaimedJob => ({
    ...toRef(row),
    payload: parseJson(row.payload),
    maxAttempts: Number(row.max_attempts),
    requestId: (row.request_id as string | null) ?? null,
  });

  // The workers' busy path: the claims and completions of one turn of the event loop in one statement.
  const claimTogether = batchedByTurn(async (claims: { id: number; owner: string }[]) => {
    const db = await knex();
    const now = new Date();
    const claimed = new Map<number, ClaimedJob>();
    for (const owner of new Set(claims.map((claim) => claim.owner))) {
      const ids = claims.filter((claim) => claim.owner === owner).map((claim) => claim.id);
      const rows = (await db(JOBS_TABLE)
        .whereIn('id', ids)
        .where({ state: 'queued' })
        .where('due_at', '<=', now)
        .update({ state: 'running', attempts: db.raw('attempts + 1'), lease_owner: owner, lease_until: new Date(now.getTime() + timings.leaseMs), updated_at: now })
        .returning(['id', 'name', 'payload', 'attempts', 'max_attempts', 'crashes', 'request_id'])) as Record<string, unknown>[];
      for (const row of rows) claimed.set(Number(row.id), toClaimed(row));
    }
    // The same row handed over twice in one turn goes to one of its callers only.
    return claims.map((claim) => {
      const job = claimed.get(claim.id) ?? null;
      claimed.delete(claim.id);
      return job;
    });
  });

  const completeTogether = batchedByTurn(async (done: { id: number; owner: string; result: unknown }[]) => {
    const db = await knex();
    const now = new Date();
    const json = postgres ? 'CAST(? AS jsonb)' : '?';
    const rows = (await db(JOBS_TABLE)
      .where({ state: 'running' })
      .where((query) => {
        for (const job of done) query.orWhere({ id: job.id, lease_owner: job.owner });
      })
      .update({
        state: 'done',
        result: db.raw(`CASE id ${done.map(() => `WHEN ? THEN ${json}`).join(' ')} END`, done.flatMap((job) => [job.id, JSON.stringify(job.result ?? null)])),
        last_error: null,
        lease_owner: null,
        lease_until: null,
        finished_at: now,
        updated_at: now,
      })
      .returning(['id'])) as { id: number }[];
    const completed = new Set(rows.map((row) => Number(row.id)));
    return done.map((job) => completed.has(job.id));
  });

  return {
    timings,

    /** `claim`, grouped with the other claims of this turn of the event loop (for workers, never in a transaction). */
    claimBatched: (id: number, owner: string) => claimTogether({ id, owner }),

    /** `complete`, grouped likewise. */
    completeBatched: (id: number, owner: string, result: unknown) => completeTogether({ id, owner, result }),

    /** Inserts the jobs not seen before (by key); returns those it inserted. Its producer hands over those due now. */
    async insert(jobs: NewJob[], now = new Date()): Promise<(JobRef & { dueAt: Date })[]> {
      const db = await knex();
      const inserted: (JobRef & { dueAt: Date })[] = [];
      const requestId = currentRequestId() ?? null;
      for (let start = 0; start < jobs.length; start += CHUNK) {
        const rows = jobs.slice(start, start + CHUNK).map((job) => ({
          document_id: documentId(),
          name: job.name,
          idempotency_key: job.key,
          payload: JSON.stringify(job.payload),
          state: 'queued',
          attempts: 0,
          max_attempts: job.maxAttempts ?? queueSettings[job.name].maxAttempts,
          crashes: 0,
          request_id: job.requestId ?? requestId,
          due_at: job.dueAt ?? now,
          // A job due now is handed to the fast lane by its producer once the transaction commits.
          pushed_at: (job.dueAt ?? now) <= now ? now : null,
          created_at: now,
          updated_at: now,
          published_at: now,
        }));
        const returned = await db(JOBS_TABLE).insert(rows).onConflict('idempotency_key').ignore().returning(['id', 'name', 'due_at']);
        for (const row of returned as Record<string, unknown>[]) {
          inserted.push({ ...toRef({ ...row, attempts: 0, crashes: 0 }), dueAt: asDate(row.due_at) as Date });
        }
      }
      return inserted;
    },

    /** Takes a queued, due job for this worker: one attempt, leased until it is renewed or runs out. */
    async claim(id: number, owner: string, now = new Date()): Promise<ClaimedJob | null> {
      const db = await knex();
      const [row] = (await db(JOBS_TABLE)
        .where({ id, state: 'queued' })
        .where('due_at', '<=', now)
        .update({ state: 'running', attempts: db.raw('attempts + 1'), lease_owner: owner, lease_until: new Date(now.getTime() + timings.leaseMs), updated_at: now })
        .returning(['id', 'name', 'payload', 'attempts', 'max_attempts', 'crashes', 'request_id'])) as Record<string, unknown>[];
      return row ? toClaimed(row) : null;
    },

    /** Extends the lease; false when this worker no longer holds it (it expired and the job was handed on). */
    async renew(id: number, owner: string, now = new Date()) {
      const count = await (await table()).jobs()
        .where({ id, lease_owner: owner, state: 'running' })
        .update({ lease_until: new Date(now.getTime() + timings.leaseMs), updated_at: now });
      return count === 1;
    },

    async complete(id: number, owner: string, result: unknown, now = new Date()) {
      const count = await (await table()).jobs()
        .where({ id, lease_owner: owner, state: 'running' })
        .update({ state: 'done', result: JSON.stringify(result ?? null), last_error: null, lease_owner: null, lease_until: null, finished_at: now, updated_at: now });
      return count === 1;
    },

    /** Records a failed attempt: queued again after its backoff, or failed for good when none are left. */
    async fail(job: ClaimedJob, owner: string, error: string, { permanent = false } = {}, now = new Date()) {
      const final = permanent || job.attempts >= job.maxAttempts;
      const dueAt = new Date(now.getTime() + backoffAfter(job.name, job.attempts));
      const count = await (await table()).jobs()
        .where({ id: job.id, lease_owner: owner, state: 'running' })
        .update({
          ...(final ? { state: 'failed', finished_at: now } : { state: 'queued', due_at: dueAt, pushed_at: null }),
          // Stored for people to read on the Jobs page: a provider's error text can name the recipient.
          last_error: scrubText(error).slice(0, 2000),
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        });
      return { recorded: count === 1, state: (final ? 'failed' : 'queued') as JobState, dueAt: final ? null : dueAt };
    },

    /**
     * Hands a job back without spending an attempt: its worker is shutting down, or something it needs
     * is away for a moment (then it comes back after `delayMs`).
     */
    async release(id: number, owner: string, { delayMs = 0, reason }: { delayMs?: number; reason?: string } = {}, now = new Date()) {
      const db = await knex();
      await db(JOBS_TABLE)
        .where({ id, lease_owner: owner, state: 'running' })
        .update({
          state: 'queued',
          attempts: db.raw('attempts - 1'),
          due_at: new Date(now.getTime() + delayMs),
          pushed_at: null,
          lease_owner: null,
          lease_until: null,
          ...(reason ? { last_error: scrubText(reason).slice(0, 2000) } : {}),
          updated_at: now,
        });
    },

    /**
     * Jobs whose worker stopped renewing its lease (it died, or lost the database for longer than a
     * lease) go back to the queue; one whose worker died `maxCrashes` times is dead (a poison job).
     */
    async reap(now = new Date()): Promise<(JobRef & { state: JobState })[]> {
      const db = await knex();
      const expired = () => db(JOBS_TABLE).where({ state: 'running' }).where('lease_until', '<', now);
      const common = {
        crashes: db.raw('crashes + 1'),
        last_error: db.raw("'Its worker stopped during attempt ' || attempts || ' (the lease ran out)'"),
        lease_owner: null,
        lease_until: null,
        pushed_at: null,
        updated_at: now,
      };
      const dead = await expired()
        .where('crashes', '>=', timings.maxCrashes - 1)
        .update({ ...common, state: 'dead', finished_at: now })
        .returning(['id', 'name', 'state', 'attempts', 'crashes']);
      const requeued = await expired().update({ ...common, state: 'queued', due_at: now }).returning(['id', 'name', 'state', 'attempts', 'crashes']);
      return ([...dead, ...requeued] as Record<string, unknown>[]).map((row) => ({ ...toRef(row), state: row.state as JobState }));
    },

    /**
     * Due jobs that the fast lane has not been given (or not for `repushAfterMs`): marked as given now.
     * Several sweepers at once each take different rows (SKIP LOCKED).
     */
    async takeDue(limit: number, now = new Date()): Promise<JobRef[]> {
      const db = await knex();
      const lock = postgres ? 'FOR UPDATE SKIP LOCKED' : '';
      const result = await db.raw(
        `UPDATE ${JOBS_TABLE} SET pushed_at = ?
          WHERE id IN (
            SELECT id FROM ${JOBS_TABLE}
             WHERE state = 'queued' AND due_at <= ? AND (pushed_at IS NULL OR pushed_at < ?)
             ORDER BY due_at LIMIT ? ${lock})
         RETURNING id, name, attempts, crashes`,
        [now, now, new Date(now.getTime() - timings.repushAfterMs), limit]
      );
      return rowsOf<Record<string, unknown>>(result).map(toRef);
    },

    /** The fast lane did not take these: the next sweep hands them over again. */
    async unpush(ids: number[]) {
      if (ids.length) await (await table()).jobs().whereIn('id', ids).update({ pushed_at: null });
    },

    /** Redis lost its data: every queued job must be handed over again. */
    async forgetPushes() {
      return (await table()).jobs().where({ state: 'queued' }).whereNotNull('pushed_at').update({ pushed_at: null });
    },

    /** Deletes done jobs older than the retention period, a batch at a time. */
    async purgeDone(now = new Date()) {
      const before = new Date(now.getTime() - timings.retentionDays * 86_400_000);
      const db = await knex();
      const ids = db(JOBS_TABLE).select('id').where({ state: 'done' }).where('finished_at', '<', before).limit(5_000);
      return db(JOBS_TABLE).whereIn('id', ids).delete();
    },

    /** Failed or dead jobs back to the queue with fresh attempts (an admin's Retry); returns those it moved. */
    async retry(where: { ids?: number[]; keys?: string[] }, now = new Date()): Promise<JobRef[]> {
      const db = await knex();
      const query = db(JOBS_TABLE).whereIn('state', ['failed', 'dead']);
      if (where.ids) query.whereIn('id', where.ids);
      if (where.keys) query.whereIn('idempotency_key', where.keys);
      const returned = await query
        .update({ state: 'queued', attempts: 0, crashes: 0, due_at: now, pushed_at: null, finished_at: null, updated_at: now })
        .returning(['id', 'name', 'attempts', 'crashes']);
      return (returned as Record<string, unknown>[]).map(toRef);
    },

    /** Per job name, for metrics: the due backlog, running jobs whose lease ran out, the oldest due job, counts by state. */
    async health(now = new Date()) {
      const db = await knex();
      const rows = (await db(JOBS_TABLE)
        .select('name', 'state')
        .count({ count: '*' })
        .select(db.raw(`SUM(CASE WHEN state = 'queued' AND due_at <= ? THEN 1 ELSE 0 END) AS waiting`, [now]))
        .select(db.raw(`SUM(CASE WHEN state = 'running' AND lease_until < ? THEN 1 ELSE 0 END) AS stalled`, [now]))
        .select(db.raw(`MIN(CASE WHEN state = 'queued' AND due_at <= ? THEN due_at END) AS oldest`, [now]))
        .groupBy('name', 'state')) as Record<string, unknown>[];
      const byName = new Map<string, { job: string; waiting: number; stalled: number; oldestWaitingSeconds: number; byState: Record<string, number> }>();
      for (const row of rows) {
        const name = row.name as string;
        const entry = byName.get(name) ?? { job: name, waiting: 0, stalled: 0, oldestWaitingSeconds: 0, byState: {} };
        entry.byState[row.state as string] = Number(row.count);
        entry.waiting += Number(row.waiting ?? 0);
        entry.stalled += Number(row.stalled ?? 0);
        const oldest = asDate(row.oldest);
        if (oldest) entry.oldestWaitingSeconds = Math.max(entry.oldestWaitingSeconds, (now.getTime() - oldest.getTime()) / 1000);
        byName.set(name, entry);
      }
      return [...byName.values()];
    },

    /** Jobs per name and state. */
    async summary(): Promise<{ name: string; state: JobState; count: number }[]> {
      const rows = await (await table()).jobs().select('name', 'state').count({ count: '*' }).groupBy('name', 'state');
      return (rows as Record<string, unknown>[]).map((row) => ({ name: row.name as string, state: row.state as JobState, count: Number(row.count) }));
    },

    /** The newest jobs first, optionally of one name and state. */
    async list({ name, state, limit = 50, beforeId }: { name?: string; state?: JobState; limit?: number; beforeId?: number } = {}): Promise<JobRow[]> {
      const query = (await table()).jobs()
        .select('id', 'name', 'idempotency_key', 'state', 'attempts', 'max_attempts', 'crashes', 'due_at', 'last_error', 'result', 'created_at', 'finished_at')
        .orderBy('id', 'desc')
        .limit(Math.min(limit, 200));
      if (name) query.where({ name });
      if (state) query.where({ state });
      if (beforeId) query.where('id', '<', beforeId);
      return ((await query) as Record<string, unknown>[]).map(toRow);
    },

    async get(id: number): Promise<(JobRow & { payload: unknown }) | null> {
      const row = await (await table()).jobs().where({ id }).first();
      return row ? { ...toRow(row), payload: parseJson(row.payload) } : null;
    },

    async byKey(key: string): Promise<(JobRow & { payload: unknown }) | null> {
      const row = await (await table()).jobs().where({ idempotency_key: key }).first();
      return row ? { ...toRow(row), payload: parseJson(row.payload) } : null;
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
