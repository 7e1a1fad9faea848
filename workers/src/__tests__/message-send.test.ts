import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import winston from 'winston';
import { bootStrapi } from '../../../cms/test/strapi';
import type { JobPayloads } from '../catalogue';
import { startConsumers } from '../consumer';
import { handlers } from '../jobs';
import { createJobProducer } from '../producer';
import { providersFromEnv, type Providers } from '../providers';
import { startFakeTwilio } from './fake-twilio';

const logger = winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
const redisUrl = process.env.REDIS_URL as string;

const until = async (condition: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('message.send', () => {
  let strapi: Core.Strapi;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let providers: Providers;

  const sms = (text: string): JobPayloads['message.send'] => ({
    channel: 'sms',
    to: '+12025550123',
    body: text,
    purpose: 'test',
    idempotencyKey: `test:${crypto.randomUUID()}`,
  });
  const outboxRow = (key: string) => strapi.db.query('api::message.message').findOne({ where: { idempotency_key: key } });

  beforeAll(async () => {
    strapi = await bootStrapi();
    twilio = await startFakeTwilio();
    providers = providersFromEnv({
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
      TWILIO_AUTH_TOKEN: 'test-auth-token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.url,
    });
  });
  afterAll(() => twilio.close());

  it('sends an SMS through the twilio SDK and records it in the outbox', async () => {
    const payload = sms('Round 1 is open: vote now');
    const result = await handlers['message.send'](payload, { strapi, providers, logger }, { id: '1' });

    expect(result.status).toBe('sent');
    const sent = twilio.received.at(-1);
    expect(sent).toMatchObject({ accountSid: 'AC00000000000000000000000000000001', to: '+12025550123', from: '+15005550006', body: payload.body });
    expect(sent?.authorization).toBe(`Basic ${Buffer.from('AC00000000000000000000000000000001:test-auth-token').toString('base64')}`);
    expect(await outboxRow(payload.idempotencyKey)).toMatchObject({
      status: 'sent',
      provider: 'twilio',
      provider_message_id: result.providerMessageId,
      recipient_masked: '+12***23',
    });
  });

  it('sends once when the same job is delivered twice, even at the same moment', async () => {
    const payload = sms('Only once, please');
    const before = twilio.received.length;
    const results = await Promise.all([1, 2, 3].map(() => handlers['message.send'](payload, { strapi, providers, logger }, { id: '2' })));
    await handlers['message.send'](payload, { strapi, providers, logger }, { id: '2' });

    expect(twilio.received.length - before).toBe(1);
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect((await outboxRow(payload.idempotencyKey)).attempts).toBe(1);
  });

  it('through Bee-Queue: a message enqueued twice is delivered once', async () => {
    const consumers = startConsumers({ strapi, providers, logger, redisUrl });
    const producer = createJobProducer({ redisUrl });
    try {
      await consumers.ready();
      const payload = sms('Queued once, sent once');
      await producer.enqueue('message.send', payload);
      await producer.enqueue('message.send', payload);
      await until(async () => (await outboxRow(payload.idempotencyKey))?.status === 'sent');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(twilio.received.filter((m) => m.body === payload.body)).toHaveLength(1);
    } finally {
      await producer.close();
      await consumers.close();
    }
  });

  it('retries a provider outage and sends once it recovers', async () => {
    const payload = sms('Second time lucky');
    twilio.failNext(503, 20503, 'Service unavailable');
    await expect(handlers['message.send'](payload, { strapi, providers, logger }, { id: '3' })).rejects.toThrow(/Twilio refused/);
    expect(await outboxRow(payload.idempotencyKey)).toMatchObject({ status: 'failed' });

    await handlers['message.send'](payload, { strapi, providers, logger }, { id: '3' });
    expect(await outboxRow(payload.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives up at once on a number the provider says is invalid', async () => {
    const consumers = startConsumers({ strapi, providers, logger, redisUrl });
    const producer = createJobProducer({ redisUrl });
    try {
      await consumers.ready();
      const failed = new Promise<string>((resolve) => consumers.queues[0].queue.on('failed', (_job, error) => resolve(error.name)));
      const payload = sms('To nowhere');
      twilio.failNext(400, 21211, "The 'To' number is not a valid phone number.");
      await producer.enqueue('message.send', payload);
      expect(await failed).toBe('PermanentJobError');
      expect(await outboxRow(payload.idempotencyKey)).toMatchObject({ status: 'failed', attempts: 1 });
    } finally {
      await producer.close();
      await consumers.close();
    }
  });

  it('keeps messages in the sandbox when no provider credentials are set', async () => {
    const sandbox = providersFromEnv({});
    const payload = { ...sms('Stays here'), channel: 'email' as const, to: 'fan@example.com', subject: 'Hello' };
    const before = twilio.received.length;
    const result = await handlers['message.send'](payload, { strapi, providers: sandbox, logger }, { id: '4' });
    expect(result).toMatchObject({ status: 'sent', provider: 'sandbox' });
    expect(twilio.received.length).toBe(before);
    expect(await outboxRow(payload.idempotencyKey)).toMatchObject({ status: 'sent', provider: 'sandbox', body: 'Stays here', recipient_masked: 'f***@example.com' });
  });
});
