import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../../../workers/src/jobs';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { silentLogger, startWorkerPool, until } from '../../../../../workers/src/__tests__/pool';
import { strapiRuntime } from '../../../../../workers/src/runtime/app';
import { webhookMessage } from '../../../../../workers/src/webhooks/events';
import { webhookHarness, type WebhookHarness } from './harness';

type Pool = ReturnType<typeof startWorkerPool>;
const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * Events from real changes, through the durable job layer and the workers (in this process) to a
 * local receiver that checks every signature with `standardwebhooks`; the retry schedule shortened
 * to 300 ms steps through WEBHOOKS_RETRY_SCHEDULE_MS.
 */
describe('webhook deliveries', () => {
  let h: WebhookHarness;
  let pool: Pool;

  const newEvent = async () => {
    const suffix = crypto.randomBytes(4).toString('hex');
    return h.strapi.documents('api::event.event').create({
      locale: 'en',
      data: { title: `Webhook event ${suffix}`, slug: `webhook-event-${suffix}`, keyword: `W${suffix}`.toUpperCase(), starts_at: new Date(), timezone: 'UTC', phase: 'scheduled', results_visibility: 'after_close' } as never,
    });
  };
  const bodyOf = (delivery: { body: string }) => JSON.parse(delivery.body) as { type: string; timestamp: string; data: Record<string, unknown> };
  const jobsOf = (deliveryIds: number[]) => h.strapi.db.connection('ops_jobs').where({ name: 'webhook.deliver' }).whereIn(h.strapi.db.connection.raw("(payload->>'deliveryId')::int") as never, deliveryIds);

  beforeAll(async () => {
    h = await webhookHarness({ WEBHOOKS_PER_ENDPOINT: '2' });
    pool = startWorkerPool({ strapi: h.strapi, providers: providersFromEnv({}), names: ['webhook.fanout', 'webhook.deliver'] });
  });
  afterAll(async () => {
    await pool?.stop();
    await h.restore();
  });

  it('delivers a published event once, signed so standardwebhooks accepts it; a rolled-back publish sends nothing', async () => {
    const subscription = await h.subscribe(['event.published', 'event.updated', 'event.unpublished']);
    const other = await h.subscribe(['post.published']);
    const event = await newEvent();

    await expect(
      h.strapi.db.transaction(async () => {
        await h.strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'en' });
        throw new Error('the editor’s change failed after the publish');
      })
    ).rejects.toThrow('failed after the publish');
    expect(await h.events(event.documentId)).toHaveLength(0);

    await h.strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'en' });
    const [received] = await h.receiver.waitFor(subscription.path, 1);
    expect(received.verifiedWith).toEqual([subscription.secret]);
    const body = JSON.parse(received.body);
    expect(body).toMatchObject({ type: 'event.published', data: { documentId: event.documentId, slug: event.slug, title: event.title, locale: 'en' } });
    const rows = await h.deliveries(subscription.id);
    expect(rows).toHaveLength(1);
    expect(received.id).toBe(rows[0].message_id);
    await until(async () => (await h.deliveries(subscription.id))[0].state === 'succeeded', 10_000, 'delivery recorded');
    expect(await jobsOf(rows.map((row: { id: number }) => row.id))).toHaveLength(1);
    expect(await h.events(event.documentId)).toHaveLength(1);
    expect(await h.deliveries(other.id)).toHaveLength(0);

    // Published again with a change: event.updated; unpublished: event.unpublished.
    await h.strapi.documents('api::event.event').update({ documentId: event.documentId, locale: 'en', data: { title: `${event.title} (moved)` } as never });
    await h.strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'en' });
    await h.strapi.documents('api::event.event').unpublish({ documentId: event.documentId, locale: 'en' });
    const all = await h.receiver.waitFor(subscription.path, 3);
    expect(all.map((delivery) => JSON.parse(delivery.body).type)).toEqual(['event.published', 'event.updated', 'event.unpublished']);
    expect(JSON.parse(all[1].body).data.title).toBe(`${event.title} (moved)`);
    expect(new Set(all.map((delivery) => delivery.id)).size).toBe(3);
    expect(all.every((delivery) => delivery.verifiedWith.length === 1)).toBe(true);
  });

  it('fans an event out when a worker runs it, to the subscriptions that want it then; run again, it adds nothing', async () => {
    const wants = await h.subscribe(['event.updated']);
    const other = await h.subscribe(['post.published']);
    const message = webhookMessage('event.updated', { documentId: `doc-${crypto.randomBytes(4).toString('hex')}`, slug: 'fan-out', title: 'Fan-out' });
    const first = await handlers['webhook.fanout'](message, h.jobContext, { id: 1, attempts: 1 });
    expect(first.deliveries).toBeGreaterThanOrEqual(1);
    const [delivery] = await h.deliveries(wants.id);
    expect(delivery).toMatchObject({ message_id: message.messageId, body: message.body, event_type: 'event.updated', state: 'pending' });
    expect(await jobsOf([delivery.id])).toHaveLength(1);
    expect(await h.deliveries(other.id)).toHaveLength(0);

    expect(await handlers['webhook.fanout'](message, h.jobContext, { id: 1, attempts: 2 })).toMatchObject({ deliveries: 0 });
    expect(await h.deliveries(wants.id)).toHaveLength(1);
    expect(await jobsOf([delivery.id])).toHaveLength(1);
  });

  it('tells subscribers when an artist or a post is published, whether created published or published later', async () => {
    const subscription = await h.subscribe(['artist.updated', 'post.published']);
    const suffix = crypto.randomBytes(4).toString('hex');
    const artist = await h.strapi.documents('api::artist.artist').create({ locale: 'en', status: 'published', data: { name: `Webhook artist ${suffix}`, slug: `webhook-artist-${suffix}` } as never });
    const post = await h.strapi.documents('api::post.post').create({ locale: 'en', data: { title: `Webhook post ${suffix}`, slug: `webhook-post-${suffix}` } as never });
    expect(await h.events(artist.documentId)).toHaveLength(1);
    expect(await h.events(post.documentId)).toHaveLength(0);
    await h.strapi.documents('api::post.post').publish({ documentId: post.documentId, locale: 'en' });
    const received = await h.receiver.waitFor(subscription.path, 2);
    const bodies = received.map((delivery) => JSON.parse(delivery.body));
    expect(bodies.find((body) => body.type === 'artist.updated')?.data).toMatchObject({ documentId: artist.documentId, name: `Webhook artist ${suffix}`, slug: `webhook-artist-${suffix}` });
    expect(bodies.find((body) => body.type === 'post.published')?.data).toMatchObject({ documentId: post.documentId, title: `Webhook post ${suffix}`, locale: 'en' });
  });

  it('tells subscribers when a round opens and closes, and publishes its results', async () => {
    const subscription = await h.subscribe(['round.opened', 'round.closed', 'results.published']);
    const event = await newEvent();
    await h.strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'en' });
    const round = await h.strapi.documents('api::round.round').create({ data: { event: event.documentId, number: 1, state: 'pending' } as never });
    const rounds = h.strapi.plugin('sms-voting').service('rounds');
    expect(await rounds.open(round.documentId, { notify: false })).toEqual({ opened: true });
    expect(await rounds.close(round.documentId)).toEqual({ closed: true });
    const received = await h.receiver.waitFor(subscription.path, 3);
    expect(received.map((delivery) => JSON.parse(delivery.body).type).sort()).toEqual(['results.published', 'round.closed', 'round.opened']);
    expect(received.find((delivery) => JSON.parse(delivery.body).type === 'round.opened')?.body).toContain(`"documentId":"${round.documentId}"`);
  });

  it('tells subscribers a round closed when the next one opening closes it', async () => {
    const subscription = await h.subscribe(['round.opened', 'round.closed', 'results.published']);
    const event = await newEvent();
    await h.strapi.documents('api::event.event').publish({ documentId: event.documentId, locale: 'en' });
    const first = await h.strapi.documents('api::round.round').create({ data: { event: event.documentId, number: 1, state: 'pending' } as never });
    const second = await h.strapi.documents('api::round.round').create({ data: { event: event.documentId, number: 2, state: 'pending' } as never });
    const rounds = h.strapi.plugin('sms-voting').service('rounds');
    await rounds.open(first.documentId, { notify: false });
    await rounds.open(second.documentId, { notify: false });
    const received = await h.receiver.waitFor(subscription.path, 4);
    const bodies = received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { documentId?: string; round?: string } });
    expect(bodies.map((body) => [body.type, body.data.documentId ?? body.data.round])).toEqual(
      expect.arrayContaining([
        ['round.opened', first.documentId],
        ['round.closed', first.documentId],
        ['results.published', first.documentId],
        ['round.opened', second.documentId],
      ])
    );
  });

  it('retries a failing endpoint on the schedule with the same webhook-id, honouring Retry-After, and logs every attempt', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    h.receiver.answer(subscription.path, { status: 500, body: 'partner down' }, { status: 503, headers: { 'Retry-After': '2' } }, { status: 302, headers: { location: '/elsewhere' } });
    expect((await h.api.post(`/subscriptions/${subscription.id}/test`)).status).toBe(202);
    const attempts = await h.receiver.waitFor(subscription.path, 4, 30_000);
    expect(new Set(attempts.map((attempt) => attempt.id)).size).toBe(1);
    expect(attempts.every((attempt) => attempt.verifiedWith.length === 1)).toBe(true);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(300);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(2_000);
    expect(attempts[3].at - attempts[2].at).toBeGreaterThanOrEqual(300);

    await until(async () => (await h.deliveries(subscription.id))[0].state === 'succeeded', 10_000, 'the fourth attempt recorded');
    const log = await h.api.get(`/subscriptions/${subscription.id}/deliveries`);
    expect(log.status).toBe(200);
    const [delivery] = log.body.data;
    expect(delivery).toMatchObject({ messageId: attempts[0].id, eventType: 'webhook.test', state: 'succeeded', attempts: 4, lastStatus: 204 });
    expect(delivery.log.map((entry: { status: number; outcome: string }) => [entry.status, entry.outcome])).toEqual([[500, 'failed'], [503, 'failed'], [302, 'failed'], [204, 'succeeded']]);
    expect(delivery.log[0].response).toBe('partner down');
    expect(typeof delivery.log[0].durationMs).toBe('number');
    expect((await h.api.get(`/subscriptions/${subscription.id}/deliveries?outcome=failed`)).body.data).toEqual([]);
    expect((await h.api.get(`/subscriptions/${subscription.id}/deliveries?outcome=lost`)).status).toBe(400);
  });

  it('fails for good after the last retry; Redeliver and Retry all failed since send it again with the same webhook-id', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    h.receiver.answerAlways(subscription.path, { status: 500 });
    const [pending] = (await h.api.post(`/subscriptions/${subscription.id}/test`)).body.data.deliveries;
    // Still being attempted: it cannot be sent again yet.
    const early = await h.api.post(`/deliveries/${pending}/redeliver`);
    expect(early.status).toBe(400);
    expect(early.body.error.message).toContain('still being attempted');
    await until(async () => (await h.deliveries(subscription.id))[0]?.state === 'failed', 20_000, 'failed for good');
    const [failed] = await h.deliveries(subscription.id);
    expect(failed.attempts).toBe(4);
    expect(h.receiver.at(subscription.path)).toHaveLength(4);
    expect((await h.api.get(`/subscriptions/${subscription.id}/deliveries?outcome=failed`)).body.data).toHaveLength(1);

    h.receiver.answerAlways(subscription.path, null);
    expect((await h.api.post(`/deliveries/${failed.id}/redeliver`)).body.data).toEqual({ deliveries: [failed.id] });
    const again = await h.receiver.waitFor(subscription.path, 5);
    expect(again[4].id).toBe(failed.message_id);
    expect(again[4].body).toBe(h.receiver.at(subscription.path)[0].body);
    await until(async () => (await h.deliveries(subscription.id))[0].state === 'succeeded', 10_000, 'redelivered');
    expect((await h.api.post(`/deliveries/${failed.id}/redeliver`)).status).toBe(202);
    await h.receiver.waitFor(subscription.path, 6);

    // Two more that fail for good, then one Retry all failed since: both again, each with its own id.
    h.receiver.answerAlways(subscription.path, { status: 500 });
    const since = new Date();
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    await until(async () => (await h.deliveries(subscription.id)).filter((row: { state: string }) => row.state === 'failed').length === 2, 20_000, 'two failed');
    h.receiver.answerAlways(subscription.path, null);
    const retried = await h.api.post(`/subscriptions/${subscription.id}/retry-failed`, { since: since.toISOString() });
    expect(retried.status).toBe(202);
    expect(retried.body.data.deliveries).toHaveLength(2);
    await until(async () => (await h.deliveries(subscription.id)).every((row: { state: string }) => row.state === 'succeeded'), 10_000, 'all succeeded');
    expect((await h.api.post(`/subscriptions/${subscription.id}/retry-failed`, { since: 'yesterday-ish' })).status).toBe(400);
  });

  it('disables a subscription at once when its endpoint answers 410 Gone', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    h.receiver.answer(subscription.path, { status: 410 });
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    await until(async () => (await h.deliveries(subscription.id))[0]?.state === 'failed', 10_000, 'failed');
    const [listed] = (await h.api.get('/subscriptions')).body.data.filter((entry: { id: number }) => entry.id === subscription.id);
    expect(listed).toMatchObject({ active: false, disabledReason: 'The endpoint answered 410 Gone' });
    expect(h.receiver.at(subscription.path)).toHaveLength(1);
    expect((await h.api.post(`/subscriptions/${subscription.id}/test`)).status).toBe(400);
    const audit = await h.strapi.db.connection('audit_trail_entries').where({ action: 'webhook.disable', document_id: subscription.documentId });
    expect(audit).toHaveLength(1);

    // Enabled again, it is active without a reason, and delivers.
    const enabled = await h.api.put(`/subscriptions/${subscription.id}`, { active: true });
    expect(enabled.body.data).toMatchObject({ active: true, disabledReason: null, disabledAt: null });
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    await h.receiver.waitFor(subscription.path, 2);
  });

  it('disables a subscription whose deliveries failed for five days, and emails its owner through the outbox', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).update({ failing_since: new Date(Date.now() - 5 * 86_400_000 - 60_000) });
    h.receiver.answer(subscription.path, { status: 500 });
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    await until(async () => (await h.deliveries(subscription.id))[0]?.state === 'failed', 10_000, 'failed');
    const row = await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).first();
    expect(row).toMatchObject({ active: false, disabled_reason: 'Every delivery failed for 120 hours' });
    const notify = await h.strapi.db.connection('ops_jobs').where({ name: 'webhook.notify' }).where('idempotency_key', 'like', `webhook.notify:${subscription.id}:%`);
    expect(notify).toHaveLength(1);
    expect(parse(notify[0].payload)).toEqual({ subscriptionId: subscription.id });

    await handlers['webhook.notify']({ subscriptionId: subscription.id }, { strapi: h.strapi, app: strapiRuntime(h.strapi), providers: providersFromEnv({}), logger: silentLogger }, { id: notify[0].id, attempts: 1 });
    const email = await h.strapi.db.connection('messages').where({ idempotency_key: `webhook-disabled:${subscription.id}:${new Date(row.disabled_at).getTime()}` }).first();
    expect(email).toMatchObject({ channel: 'email', purpose: 'webhook-disabled', recipient_masked: (subscription.ownerEmail as string).replace(/^(.).*@/, '$1***@') });
    expect(email.body).toContain(subscription.url);
  });

  it('signs with both secrets for the overlap after a rotation, then with the new one only', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    const rotated = (await h.api.post(`/subscriptions/${subscription.id}/rotate`)).body.data;
    expect(rotated.secret).not.toBe(subscription.secret);
    expect(Date.parse(rotated.subscription.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    h.receiver.trust(subscription.path, subscription.secret, rotated.secret);
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    const [during] = await h.receiver.waitFor(subscription.path, 1);
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(during.verifiedWith).toEqual([subscription.secret, rotated.secret]);

    await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).update({ previous_secret_expires_at: new Date(Date.now() - 1_000) });
    await h.api.post(`/subscriptions/${subscription.id}/test`);
    const [, after] = await h.receiver.waitFor(subscription.path, 2);
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(after.verifiedWith).toEqual([rotated.secret]);
  });

  it('paces a slow endpoint so another partner is delivered to meanwhile', async () => {
    const slow = await h.subscribe(['webhook.test']);
    const fast = await h.subscribe(['webhook.test']);
    h.receiver.answerAlways(slow.path, { status: 204, delayMs: 1_500 });
    for (let i = 0; i < 6; i += 1) await h.api.post(`/subscriptions/${slow.id}/test`);
    await h.receiver.waitFor(slow.path, 2);
    const started = Date.now();
    await h.api.post(`/subscriptions/${fast.id}/test`);
    const [delivered] = await h.receiver.waitFor(fast.path, 1);
    expect(delivered.at - started).toBeLessThan(1_000);
    // Two at a time (WEBHOOKS_PER_ENDPOINT=2): the slow endpoint never had more in flight.
    expect(h.receiver.at(slow.path).length).toBeLessThanOrEqual(4);
    await h.receiver.waitFor(slow.path, 6, 30_000);
    h.receiver.answerAlways(slow.path, null);
  });
});
