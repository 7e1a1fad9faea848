import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../../workers/src/__tests__/pool';
import { startWorkerProcess, type WorkerProcess } from '../../../../../scripts/lib/worker-process';
import { webhookHarness, type WebhookHarness } from './harness';

/**
 * A worker process (database only: `WORKER_JOBS=webhook.deliver` never loads Strapi) is SIGKILLed
 * while the partner is still answering; the next worker delivers the same event again, with the same
 * webhook-id, once the dead one's lease runs out.
 */
describe.runIf(process.env.DATABASE_URL)('webhook delivery when its worker dies (PostgreSQL)', () => {
  let h: WebhookHarness;
  const workers: WorkerProcess[] = [];
  const start = async () => {
    const worker = await startWorkerProcess({ WORKER_JOBS: 'webhook.deliver', JOB_LEASE_MS: '2000', JOB_SWEEP_INTERVAL_MS: '250' });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    h = await webhookHarness();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await h.restore();
  });

  it('redelivers with the same webhook-id after a worker is killed mid-delivery', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    h.receiver.answer(subscription.path, { status: 204, delayMs: 30_000 });
    const first = await start();
    expect(first.output()).toContain('database only');
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    const [inFlight] = await h.receiver.waitFor(subscription.path, 1);
    await first.kill();

    await start();
    const [, again] = await h.receiver.waitFor(subscription.path, 2, 30_000);
    expect(again.id).toBe(inFlight.id);
    expect(again.body).toBe(inFlight.body);
    expect(again.verifiedWith).toEqual([subscription.secret]);
    await until(async () => (await h.deliveries(subscription.id))[0].state === 'succeeded', 15_000, 'the delivery recorded');
    const [delivery] = await h.deliveries(subscription.id);
    // The job is marked done just after the attempt is recorded.
    const job = () => h.strapi.db.connection('ops_jobs').where({ idempotency_key: `webhook.deliver:${delivery.id}:0:0` }).first();
    await until(async () => (await job()).state === 'done', 15_000, 'the job done');
    expect(await job()).toMatchObject({ state: 'done', crashes: 1 });
  });
});
