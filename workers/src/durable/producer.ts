import type { Core } from '@strapi/strapi';
import { jobSchemas, type JobName, type JobPayloads } from '../catalogue';
import { createLane, type Lane } from './lane';
import { createJobStore, type JobRef, type JobStore } from './store';
import { afterCommit, knexFor, type Knex } from './strapi-db';

export type EnqueueOptions = {
  /** The same key always means the same job: enqueueing it again changes nothing. */
  key: string;
  /** Run no earlier than this (a retry, a scheduled campaign, a nightly backup). */
  dueAt?: Date;
  maxAttempts?: number;
};

/** Writes jobs of one name (checked against the catalogue); `due`: those to hand over once the write commits. */
async function insertJobs<N extends JobName>(store: JobStore, name: N, jobs: ({ payload: JobPayloads[N] } & EnqueueOptions)[]) {
  const now = new Date();
  const inserted = await store.insert(
    jobs.map((job) => ({ name, payload: jobSchemas[name].parse(job.payload) as JobPayloads[N], key: job.key, dueAt: job.dueAt, maxAttempts: job.maxAttempts })),
    now
  );
  return { inserted, due: inserted.filter((job) => job.dueAt.getTime() <= now.getTime()) as JobRef[] };
}

/**
 * Enqueueing in a transaction of the caller's own (`knex.transaction`), where Strapi is not loaded (a
 * worker that reads the database alone): the jobs are written with it, and `due` holds those the
 * caller hands to the workers once it has committed.
 */
export function transactionProducer(trx: Knex, postgres: boolean) {
  const store = createJobStore({ knex: async () => trx, postgres });
  const due: JobRef[] = [];
  return {
    due,
    async enqueueMany<N extends JobName>(name: N, jobs: ({ payload: JobPayloads[N] } & EnqueueOptions)[]) {
      const written = await insertJobs(store, name, jobs);
      due.push(...written.due);
      return written.inserted;
    },
  };
}

/**
 * Enqueueing for the cms and its plugins. A job is a row written with the caller's transaction (a
 * rolled-back change leaves no job; a committed one always has its job), then handed to the workers
 * through Redis once that transaction commits. Redis being away delays the job, never loses it: the
 * workers' sweeper hands over every due row the fast lane missed.
 */
export function createJobProducer({ strapi, redisUrl }: { strapi: Core.Strapi; redisUrl: string }) {
  const store = createJobStore({ knex: () => knexFor(strapi), postgres: strapi.db.dialect.client === 'postgres' });
  let lane: Lane | undefined;
  const laneFor = () => (lane ??= createLane({ redisUrl, logger: strapi.log }));

  const handOff = async (jobs: JobRef[]) => {
    if (jobs.length === 0) return;
    await afterCommit(strapi, 'job hand-off', async () => {
      const missed = await laneFor().push(jobs);
      await store.unpush(missed);
    });
  };

  return {
    store,

    /** Enqueues one job; `created: false` when a job with this key already exists. */
    async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions) {
      const [created] = await this.enqueueMany(name, [{ payload, ...options }]);
      return created ? { id: created.id, created: true } : { id: null, created: false };
    },

    /** Enqueues many jobs of one name at once (a round's notifications); returns those not seen before. */
    async enqueueMany<N extends JobName>(name: N, jobs: ({ payload: JobPayloads[N] } & EnqueueOptions)[]) {
      const { inserted, due } = await insertJobs(store, name, jobs);
      await handOff(due);
      return inserted;
    },

    /** Failed or dead jobs back to the queue (an admin's Retry, a re-send), handed over after commit. */
    async retry(where: { ids?: number[]; keys?: string[] }) {
      const moved = await store.retry(where);
      await handOff(moved);
      return moved;
    },

    async close() {
      await lane?.close();
      lane = undefined;
    },
  };
}

export type JobProducer = ReturnType<typeof createJobProducer>;
