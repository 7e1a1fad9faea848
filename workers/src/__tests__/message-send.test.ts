import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { nextPhoneNumber } from '../../../cms/test/phones';
import { bootStrapi } from '../../../cms/test/strapi';
import { handlers } from '../jobs';
import { providersFromEnv, type Providers } from '../providers';
import { startFakeTwilio } from '../../../scripts/lib/fake-twilio';
import { silentLogger as logger, startWorkerPool, until } from './pool';

const ACCOUNT = 'AC00000000000000000000000000000001';

describe('message.send', () => {
  let strapi: Core.Strapi;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let providers: Providers;

  const outbox = () => strapi.service('api::message.message');
  const row = (key: string) => strapi.db.connection('messages').where({ idempotency_key: key }).first();
  const job = (key: string) => strapi.db.connection('ops_jobs').where({ idempotency_key: `message.send:${key}` }).first();
  /** Queues an SMS through the outbox, as every producer does; returns its key and row id. */
  const queueSms = async (body: string, to = nextPhoneNumber()) => {
    const key = `test:${crypto.randomUUID()}`;
    await outbox().queue([{ channel: 'sms', to, body, purpose: 'test', idempotencyKey: key }]);
    return { key, to, body, id: Number((await row(key)).id) };
  };
  const send = (messageId: number, using = providers) => handlers['message.send']({ messageId }, { strapi, providers: using, logger }, { id: 0, attempts: 1 });

  beforeAll(async () => {
    strapi = await bootStrapi();
    twilio = await startFakeTwilio();
    providers = providersFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'test-auth-token', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.url });
  });
  afterAll(() => twilio.close());

  it('sends an SMS through the twilio SDK and records it in the outbox, with nothing personal in the job', async () => {
    const message = await queueSms('Round 1 is open: vote now');
    const queuedJob = await job(message.key);
    const payload = typeof queuedJob.payload === 'string' ? JSON.parse(queuedJob.payload) : queuedJob.payload;
    expect(payload).toEqual({ messageId: message.id });
    expect(await row(message.key)).toMatchObject({ state: 'queued', recipient_masked: `${message.to.slice(0, 3)}***${message.to.slice(-2)}` });
    expect((await row(message.key)).recipient_encrypted).not.toContain(message.to.slice(2));

    const result = await send(message.id);
    expect(result.status).toBe('sent');
    const sent = twilio.received.at(-1);
    expect(sent).toMatchObject({ accountSid: ACCOUNT, to: message.to, from: '+15005550006', body: message.body });
    expect(sent?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:test-auth-token`).toString('base64')}`);
    expect(await row(message.key)).toMatchObject({ state: 'sent', provider: 'twilio', provider_message_id: result.providerMessageId, attempts: 1 });
  });

  it('sends once when the same message is run several times at the same moment', async () => {
    const message = await queueSms('Only once, please');
    const results = await Promise.allSettled([1, 2, 3].map(() => send(message.id)));
    await send(message.id).catch(() => undefined);
    expect(twilio.received.filter((m) => m.to === message.to)).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.status === 'sent')).toHaveLength(1);
    expect(await row(message.key)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('queued twice through the outbox and the workers, it is one message, one job and one SMS', async () => {
    const pool = startWorkerPool({ strapi, providers, names: ['message.send'] });
    try {
      const to = nextPhoneNumber();
      const key = `test:${crypto.randomUUID()}`;
      const input = { channel: 'sms' as const, to, body: 'Queued once, sent once', purpose: 'test', idempotencyKey: key };
      expect(await outbox().queue([input])).toEqual({ queued: 1, existing: 0 });
      expect(await outbox().queue([input])).toEqual({ queued: 0, existing: 1 });
      await until(async () => (await job(key))?.state === 'done', 20_000, 'the job is done');
      expect(await row(key)).toMatchObject({ state: 'sent' });
      expect(twilio.received.filter((m) => m.to === to)).toHaveLength(1);
      expect(Number((await strapi.db.connection('messages').where({ idempotency_key: key }).count({ n: '*' }).first())?.n)).toBe(1);
    } finally {
      await pool.stop();
    }
  });

  it('retries a provider outage and sends once it recovers', async () => {
    const message = await queueSms('Second time lucky');
    twilio.failNext(503, 20503, 'Service unavailable');
    await expect(send(message.id)).rejects.toThrow(/Twilio refused/);
    expect(await row(message.key)).toMatchObject({ state: 'failed' });
    await send(message.id);
    expect(await row(message.key)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(twilio.received.filter((m) => m.to === message.to)).toHaveLength(1);
  });

  it('asks Twilio before sending again after an attempt that stopped midway, and sends nothing twice', async () => {
    const message = await queueSms('Did it go out?');
    // An attempt reached Twilio, then its worker died before recording the answer.
    await strapi.db.connection('messages').where({ id: message.id }).update({ state: 'sending', attempts: 1, sending_since: new Date() });
    twilio.received.push({ sid: 'SM-earlier-attempt', accountSid: ACCOUNT, to: message.to, from: '+15005550006', body: message.body, dateCreated: new Date().toUTCString() });

    const result = await send(message.id);
    expect(result).toMatchObject({ status: 'sent', recovered: true, providerMessageId: 'SM-earlier-attempt' });
    expect(twilio.received.filter((m) => m.to === message.to)).toHaveLength(1);
    expect(await row(message.key)).toMatchObject({ state: 'sent', provider_message_id: 'SM-earlier-attempt' });

    // One that had not reached Twilio is sent.
    const lost = await queueSms('Never arrived');
    await strapi.db.connection('messages').where({ id: lost.id }).update({ state: 'sending', attempts: 1, sending_since: new Date() });
    expect(await send(lost.id)).toMatchObject({ status: 'sent' });
    expect(twilio.received.filter((m) => m.to === lost.to)).toHaveLength(1);
  });

  it('records the doubt instead of guessing when the provider cannot be asked, and sends again only on Retry', async () => {
    const email = { channel: 'email' as const, to: `fan-${crypto.randomUUID()}@example.com`, subject: 'Hi', body: 'Maybe sent', purpose: 'test', idempotencyKey: `test:${crypto.randomUUID()}` };
    await outbox().queue([email]);
    const { id } = await row(email.idempotencyKey);
    await strapi.db.connection('messages').where({ id }).update({ state: 'sending', attempts: 1, sending_since: new Date() });
    const sendgridLike = { ...providers, email: { name: 'sendgrid' as const, send: async () => ({ providerMessageId: 'sg-1' }) } };

    await expect(send(id, sendgridLike)).rejects.toThrow(/may have reached sendgrid/);
    expect(await row(email.idempotencyKey)).toMatchObject({ state: 'unknown' });
    await expect(send(id, sendgridLike)).rejects.toThrow(/Retry on the Jobs page/);

    await outbox().allowResend(id);
    expect(await send(id, sendgridLike)).toMatchObject({ status: 'sent', providerMessageId: 'sg-1' });
  });

  it('gives up at once on a number the provider says is invalid', async () => {
    const pool = startWorkerPool({ strapi, providers, names: ['message.send'] });
    try {
      twilio.failNext(400, 21211, "The 'To' number is not a valid phone number.");
      const message = await queueSms('To nowhere');
      await until(async () => (await job(message.key))?.state === 'failed', 20_000, 'the job failed');
      expect(await job(message.key)).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/not a valid phone number/) });
      expect(await row(message.key)).toMatchObject({ state: 'failed' });
    } finally {
      await pool.stop();
    }
  });

  it('keeps messages in the sandbox when no provider credentials are set', async () => {
    const sandbox = providersFromEnv({});
    const key = `test:${crypto.randomUUID()}`;
    await outbox().queue([{ channel: 'email', to: 'fan@example.com', subject: 'Hello', body: 'Stays here', purpose: 'test', idempotencyKey: key }]);
    const before = twilio.received.length;
    const result = await send(Number((await row(key)).id), sandbox);
    expect(result).toMatchObject({ status: 'sent', provider: 'sandbox' });
    expect(twilio.received.length).toBe(before);
    expect(await row(key)).toMatchObject({ state: 'sent', provider: 'sandbox', body: 'Stays here', recipient_masked: 'f***@example.com' });
  });
});
