import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../../workers/src/__tests__/pool';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { startWorkerProcess, type WorkerProcess } from '../../../../../scripts/lib/worker-process';
import { crmHarness, numbers, type CrmHarness } from './harness';

const FANS = 60;
const ACCOUNT = 'AC00000000000000000000000000000131';

/**
 * A worker process running the campaign's fan-out (on the database alone, without Strapi) is
 * SIGKILLed mid-fan-out; another takes over once the dead one's lease runs out, while a third sends.
 * Every consenting fan gets exactly one SMS, through the real twilio SDK to a local Twilio.
 */
describe.runIf(process.env.DATABASE_URL)('a campaign when its worker dies mid-fan-out (PostgreSQL)', () => {
  let h: CrmHarness;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  const workers: WorkerProcess[] = [];
  const start = async (jobs: string) => {
    const worker = await startWorkerProcess({
      WORKER_JOBS: jobs,
      JOB_LEASE_MS: '2000',
      JOB_SWEEP_INTERVAL_MS: '250',
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: 'test-auth-token',
      TWILIO_FROM: '+15005550131',
      TWILIO_API_BASE_URL: twilio.url,
      // Batches of ten, paced, so the kill lands mid-way; no quiet hours, whatever the hour of the run.
      CRM_FANOUT_BATCH: '10',
      CRM_FANOUT_PAUSE_MS: '100',
      CRM_QUIET_HOURS: '00:00-00:00',
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    h = await crmHarness();
    twilio = await startFakeTwilio();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await twilio.close();
  });

  it('sends each message exactly once after a SIGKILL and a retry', async () => {
    const tag = h.tag('crash');
    const phones: string[] = [];
    for (let i = 0; i < FANS; i += 1) phones.push((await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [{ purpose: 'marketing_sms', action: 'opt_in' }] })).phone);
    const campaign = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id, templates: { en: { body: 'The finale is next Friday' } } });
    const row = () => h.strapi.db.connection('crm_campaigns').where({ id: campaign.id }).first();

    // A row whose number cannot be decrypted (sealed under another key, damaged) must not stop a worker starting.
    await h.strapi.db.connection('fans').insert({ document_id: `damaged-${tag}`.slice(0, 60), phone_hash: `damaged-${tag}`, phone_encrypted: 'v1.damaged', phone_masked: '+1***00', language: 'en', first_seen: new Date(), created_at: new Date(), updated_at: new Date() });
    await start('message.send');
    const first = await start('campaign.fanout');
    expect(first.output()).toContain('database only');
    expect((await h.api.post(`/campaigns/${campaign.id}/send`, {})).status).toBe(202);
    await until(async () => Number((await row()).fanned_out) >= 20, 60_000, 'part of the fan-out');
    await first.kill();
    const reachedAtKill = Number((await row()).fanned_out);
    expect(reachedAtKill).toBeLessThan(FANS);

    await start('campaign.fanout');
    await until(async () => (await row()).phase === 'sent', 90_000, 'the fan-out finished');
    await until(async () => (await h.messages(campaign.id)).every((m: { state: string }) => m.state === 'sent'), 90_000, 'every message sent');
    const messages = await h.messages(campaign.id);
    expect(messages).toHaveLength(FANS);
    for (const phone of phones) expect(twilio.received.filter((m) => m.to === phone), phone).toHaveLength(1);
    const job = await h.strapi.db.connection('ops_jobs').where({ idempotency_key: `campaign.fanout:${campaign.id}:1` }).first();
    expect(job).toMatchObject({ state: 'done', crashes: 1 });
  }, 240_000);
});
