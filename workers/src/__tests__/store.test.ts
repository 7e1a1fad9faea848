import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../../../cms/test/strapi';
import type { JobStore } from '../durable/store';
import { storeOf } from './pool';

/** The durable queue's rules, on whichever database the run uses (SQLite or PostgreSQL). */
describe('the job store', () => {
  let strapi: Core.Strapi;
  let store: JobStore;
  const owner = 'test-worker';
  const jobs = () => strapi.plugin('ops').service('jobs');
  const row = (id: number) => strapi.db.connection('ops_jobs').where({ id }).first();
  const enqueue = async (options: { dueAt?: Date; maxAttempts?: number } = {}) => {
    const key = `store-test:${crypto.randomUUID()}`;
    const { id } = await jobs().enqueue('round.notify', { roundRef: key.slice(-20) }, { key, ...options });
    return { id: id as number, key };
  };
  /** Lets the lease of a running job run out, as when its worker dies. */
  const expireLease = (id: number) => strapi.db.connection('ops_jobs').where({ id }).update({ lease_until: new Date(Date.now() - 1_000) });

  beforeAll(async () => {
    strapi = await bootStrapi();
    store = storeOf(strapi, { leaseMs: 5_000, maxCrashes: 3, repushAfterMs: 60_000 });
  });

  it('keeps one job per key, and leaves none behind a rolled-back transaction', async () => {
    const key = `store-test:${crypto.randomUUID()}`;
    expect(await jobs().enqueue('round.notify', { roundRef: 'r1' }, { key })).toMatchObject({ created: true });
    expect(await jobs().enqueue('round.notify', { roundRef: 'r1' }, { key })).toEqual({ id: null, created: false });
    expect(Number((await strapi.db.connection('ops_jobs').where({ idempotency_key: key }).count({ n: '*' }).first())?.n)).toBe(1);

    const rolledBack = `store-test:${crypto.randomUUID()}`;
    await expect(
      strapi.db.transaction(async () => {
        await jobs().enqueue('round.notify', { roundRef: 'r2' }, { key: rolledBack });
        throw new Error('the change failed');
      })
    ).rejects.toThrow('the change failed');
    expect(await strapi.db.connection('ops_jobs').where({ idempotency_key: rolledBack }).first()).toBeUndefined();
  });

  it('gives a job to one worker at a time, and only once it is due', async () => {
    const later = await enqueue({ dueAt: new Date(Date.now() + 60_000) });
    expect(await store.claim(later.id, owner)).toBeNull();

    const { id } = await enqueue();
    const [first, second] = await Promise.all([store.claim(id, owner), store.claim(id, 'another-worker')]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = first ? [owner, 'another-worker'] : ['another-worker', owner];
    expect(await row(id)).toMatchObject({ state: 'running', attempts: 1, lease_owner: winner });
    expect(await store.renew(id, loser)).toBe(false);
    expect(await store.complete(id, loser, { ok: true })).toBe(false);
    expect(await store.renew(id, winner)).toBe(true);
    expect(await store.complete(id, winner, { ok: true })).toBe(true);
    expect(await row(id)).toMatchObject({ state: 'done', lease_owner: null });
    expect(await store.claim(id, owner)).toBeNull();
  });

  it('queues a failed attempt again after its backoff, and fails it for good after its last attempt', async () => {
    const { id } = await enqueue({ maxAttempts: 2 });
    const attempt1 = await store.claim(id, owner);
    const retry = await store.fail(attempt1!, owner, 'Twilio said 503');
    expect(retry).toMatchObject({ recorded: true, state: 'queued' });
    expect(retry.dueAt!.getTime()).toBeGreaterThan(Date.now() + 4_000);
    expect(await store.claim(id, owner)).toBeNull(); // not due yet

    await strapi.db.connection('ops_jobs').where({ id }).update({ due_at: new Date(Date.now() - 1) });
    const attempt2 = await store.claim(id, owner);
    expect(await store.fail(attempt2!, owner, 'Twilio said 503 again')).toMatchObject({ state: 'failed' });
    expect(await row(id)).toMatchObject({ state: 'failed', attempts: 2, last_error: 'Twilio said 503 again' });
  });

  it('takes back the job of a worker that died, and marks it dead the third time', async () => {
    const { id } = await enqueue();
    for (let crash = 1; crash <= 3; crash += 1) {
      expect(await store.claim(id, `worker-${crash}`)).toMatchObject({ attempts: crash, crashes: crash - 1 });
      await expireLease(id);
      const reaped = (await store.reap()).find((job) => job.id === id);
      expect(reaped).toMatchObject({ state: crash < 3 ? 'queued' : 'dead', crashes: crash });
    }
    expect(await row(id)).toMatchObject({ state: 'dead', crashes: 3, last_error: expect.stringMatching(/worker stopped during attempt 3/) });
    expect(await store.claim(id, owner)).toBeNull();
    expect((await store.takeDue(1_000)).map((job) => job.id)).not.toContain(id);

    // An admin's Retry: fresh attempts.
    expect((await jobs().retry({ ids: [id] })).map((job) => job.id)).toEqual([id]);
    expect(await row(id)).toMatchObject({ state: 'queued', attempts: 0, crashes: 0 });
  });

  it('hands over due jobs the fast lane does not have, once each, and all of them again when Redis lost its data', async () => {
    const { id } = await enqueue();
    await store.unpush([id]); // its hand-off failed
    const due = async () => (await store.takeDue(5_000)).map((job) => job.id);
    expect(await due()).toContain(id);
    expect(await due()).not.toContain(id); // handed over a moment ago
    await store.forgetPushes();
    expect(await due()).toContain(id);
  });

  it('hands a job back without spending an attempt when something it needs is away', async () => {
    const { id } = await enqueue();
    await store.claim(id, owner);
    await store.release(id, owner, { delayMs: 10_000, reason: 'Redis is away' });
    expect(await row(id)).toMatchObject({ state: 'queued', attempts: 0, last_error: 'Redis is away' });
    expect(await store.claim(id, owner)).toBeNull();
  });

  it('deletes done jobs once they are older than the retention period, and nothing else', async () => {
    const old = await enqueue();
    const recent = await enqueue();
    const failed = await enqueue();
    for (const { id } of [old, recent]) {
      await store.claim(id, owner);
      await store.complete(id, owner, {});
    }
    const longAgo = new Date(Date.now() - (store.timings.retentionDays + 1) * 86_400_000);
    await strapi.db.connection('ops_jobs').where({ id: old.id }).update({ finished_at: longAgo });
    await strapi.db.connection('ops_jobs').where({ id: failed.id }).update({ state: 'failed', finished_at: longAgo });
    await store.purgeDone();
    expect(await row(old.id)).toBeUndefined();
    expect(await row(recent.id)).toMatchObject({ state: 'done' });
    expect(await row(failed.id)).toMatchObject({ state: 'failed' });
  });
});
