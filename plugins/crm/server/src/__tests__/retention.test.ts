import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../../../workers/src/jobs';
import { CRM_RETENTION_CRON, scheduledRetentionJob, startCrmSchedules } from '../../../../../workers/src/crm/schedule';
import { nextSlot } from '../../../../../workers/src/durable/schedule';
import { silentLogger, startWorkerPool, storeOf, until } from '../../../../../workers/src/__tests__/pool';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { RETENTION_BATCH } from '../services/retention';
import { crmHarness, type CrmHarness } from './harness';

const DAY_MS = 86_400_000;

/** CRM_RETENTION_DAYS: the `crm.retention` job purges old inbound bodies and settled outbox messages, and expired email sign-ups, in batches, once. */
describe('retention of message bodies (the crm.retention job)', () => {
  let h: CrmHarness;
  const run = `retention-${Date.now().toString(36)}`;
  const stamp = (daysAgo: number) => {
    const at = new Date(Date.now() - daysAgo * DAY_MS);
    return { created_at: at, updated_at: at, published_at: at };
  };

  beforeAll(async () => {
    h = await crmHarness();
  });

  it('purges what is older than CRM_RETENTION_DAYS, in batches, and a second run changes nothing', async () => {
    const knex = h.strapi.db.connection;
    const days = h.strapi.config.get('plugin::crm.retentionDays') as number;
    expect(days).toBe(365);
    const inbound = (daysAgo: number, i: number) => ({ document_id: crypto.randomBytes(12).toString('hex'), message_sid: `SM${run}${daysAgo}x${i}`, from_hash: `hash-${run}`, body: `DEMO ${run}`, reply: 'Welcome', outcome: 'joined', ...stamp(daysAgo) });
    const old = Array.from({ length: RETENTION_BATCH + 200 }, (_, i) => inbound(days + 1, i));
    for (let i = 0; i < old.length; i += 500) await knex('sms_voting_inbound_messages').insert(old.slice(i, i + 500));
    await knex('sms_voting_inbound_messages').insert(inbound(days - 1, 0));
    const message = (daysAgo: number, state: string) => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      idempotency_key: `${run}:${daysAgo}:${state}`,
      channel: 'sms',
      recipient_masked: '+12***00',
      recipient_hash: `hash-${run}`,
      recipient_encrypted: 'v1.sealed',
      body: `Finale ${run}`,
      purpose: 'campaign',
      topic: run,
      state,
      ...stamp(daysAgo),
    });
    await knex('messages').insert([message(days + 1, 'sent'), message(days + 1, 'failed'), message(days + 1, 'queued'), message(days - 1, 'sent')]);
    // Email sign-ups: one whose link expired yesterday (followed or not, it goes), one still open.
    const signup = (expiresInDays: number, confirmed: boolean) => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      token_hash: crypto.randomBytes(16).toString('hex'),
      nonce: 'n',
      email_encrypted: 'v1.sealed',
      email_hash: `signup-${run}`,
      language: 'en',
      source: 'recap',
      consent_text: 'News from Ovation',
      consent_version: 'email-v1',
      expires_at: new Date(Date.now() + expiresInDays * DAY_MS),
      confirmed_at: confirmed ? new Date(Date.now() - 7 * DAY_MS) : null,
      ...stamp(8),
    });
    await knex('crm_email_confirmations').insert([signup(-1, false), signup(-1, true), signup(1, false)]);

    // Two workers' schedules, their clocks a day behind: the slot they schedule is due now, one row for both.
    const aDayAgo = () => new Date(Date.now() - DAY_MS);
    const schedules = [1, 2].map(() => startCrmSchedules({ store: storeOf(h.strapi), logger: silentLogger, names: ['crm.retention'], everyMs: 3_600_000, now: aDayAgo }));
    const job = scheduledRetentionJob(nextSlot(CRM_RETENTION_CRON, aDayAgo()));
    const pool = startWorkerPool({ strapi: h.strapi, providers: providersFromEnv({}), names: ['crm.retention'] });
    try {
      await Promise.all(schedules.map((schedule) => schedule?.tick()));
      const rows = await knex('ops_jobs').where({ idempotency_key: job.key });
      expect(rows).toHaveLength(1);
      await until(async () => (await knex('ops_jobs').where({ id: rows[0].id }).first('state')).state === 'done', 30_000, 'the retention job done');
    } finally {
      schedules.forEach((schedule) => schedule?.stop());
      await pool.stop();
    }
    const context = { strapi: h.strapi, logger: silentLogger } as never;

    const bodies = await knex('sms_voting_inbound_messages').where({ from_hash: `hash-${run}` }).select('body');
    expect(bodies).toEqual([{ body: `DEMO ${run}` }]);
    expect(Number((await knex('sms_voting_inbound_messages').where('message_sid', 'like', `SM${run}%`).count({ n: '*' }).first())?.n)).toBe(old.length + 1);
    const messages = await knex('messages').where({ topic: run }).orderBy('id').select('state', 'body', 'recipient_encrypted');
    expect(messages).toEqual([
      { state: 'sent', body: '', recipient_encrypted: null },
      { state: 'failed', body: '', recipient_encrypted: null },
      { state: 'queued', body: `Finale ${run}`, recipient_encrypted: 'v1.sealed' },
      { state: 'sent', body: `Finale ${run}`, recipient_encrypted: 'v1.sealed' },
    ]);
    const signups = await knex('crm_email_confirmations').where({ email_hash: `signup-${run}` }).select('expires_at');
    expect(signups.map((row: { expires_at: string }) => new Date(row.expires_at).getTime() > Date.now())).toEqual([true]);
    const [entry] = await knex('audit_trail_entries').where({ action: 'crm.retention' }).orderBy('seq', 'desc').limit(1);
    expect(entry).toMatchObject({ actor_kind: 'job', actor_name: 'crm.retention', origin: 'worker' });
    const done = JSON.parse(entry.diff).after;
    expect(done).toMatchObject({ retentionDays: 365 });
    expect(done.inbound).toBeGreaterThanOrEqual(old.length);
    expect(done.messages).toBeGreaterThanOrEqual(2);
    expect(done.signups).toBeGreaterThanOrEqual(2);
    // More than one batch of RETENTION_BATCH rows each.
    expect(done.batches).toBeGreaterThanOrEqual(3);

    // Delivered again (at least once), or tomorrow's run: nothing left to purge.
    const second = (await handlers['crm.retention'](job.payload, context)) as { inbound: number; messages: number; signups: number };
    expect(second).toMatchObject({ inbound: 0, messages: 0, signups: 0 });
  });
});
