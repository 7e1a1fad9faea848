/**
 * The partner example, run as a partner would: its types generated from the document the cms
 * serves, compiled, the client reading events and stats with an API token from the real cms, and
 * the receiver accepting deliveries from the real workers and refusing forged ones.
 */
import { execFile } from 'child_process';
import type { AddressInfo } from 'net';
import path from 'path';
import { promisify } from 'util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFans, createVotingEvent } from '../../../plugins/sms-voting/server/src/__tests__/fixtures';
import { webhookHarness, type WebhookHarness } from '../../../plugins/webhooks/server/src/__tests__/harness';
import { providersFromEnv } from '../../../workers/src/providers';
import { startWorkerPool, until } from '../../../workers/src/__tests__/pool';
import { apiToken, cmsUrl } from '../../../cms/test/strapi';
import { freePort } from '../../../scripts/lib/ports';
import { createOvationClient, OvationError } from '../src/client';
import { createReceiver, type OvationEvent } from '../src/receiver';

const run = promisify(execFile);
const EXAMPLE = path.resolve(__dirname, '..');
const bin = (name: string) => path.resolve(EXAMPLE, '../../node_modules/.bin', name);

describe('the partner example', () => {
  let h: WebhookHarness;
  let pool: ReturnType<typeof startWorkerPool>;
  let url: string;
  beforeAll(async () => {
    h = await webhookHarness();
    url = await cmsUrl();
    pool = startWorkerPool({ strapi: h.strapi, providers: providersFromEnv({}), names: ['webhook.deliver'] });
  });
  afterAll(async () => {
    await pool?.stop();
    await h?.restore();
  });

  it('generates its types from the served document and compiles against them', async () => {
    await run(bin('openapi-typescript'), [`${url}/api/openapi.json`, '-o', path.join(EXAMPLE, 'src/api.d.ts')], { cwd: EXAMPLE });
    await expect(run(bin('tsc'), ['-p', EXAMPLE])).resolves.toBeDefined();
  }, 120_000);

  it('lists events and reads an event\'s stats with a token granted them; without the stats permission it is told why', async () => {
    const event = await createVotingEvent(h.strapi, { lineup: 2 });
    const fans = await createFans(h.strapi, 2);
    const now = new Date();
    await h.strapi.db.connection('sms_voting_attendances').insert(
      fans.map((fan) => ({ document_id: `${fan.slice(0, 20)}ptnr`, event_ref: event.eventRef, fan_ref: fan, source: 'keyword', created_at: now, updated_at: now, published_at: now }))
    );
    const token = await apiToken(h.strapi, 'custom', ['api::event.event.find', 'api::partner.partner.stats']);
    const client = createOvationClient({ cmsUrl: url, token });

    // Every page: the test run's database holds hundreds of events by now, this one among the last.
    const events = await client.events();
    expect(events.find((listed) => listed.slug === event.slug)).toMatchObject({ title: expect.stringContaining('Test event'), phase: 'live' });
    const stats = await client.eventStats(event.slug);
    expect(stats).toMatchObject({ event: { slug: event.slug }, attendance: 2, votes: 0 });
    expect(stats.rounds[0].entries.map((entry) => entry.code)).toEqual(['1', '2']);

    const readOnly = createOvationClient({ cmsUrl: url, token: await apiToken(h.strapi, 'custom', ['api::event.event.find']) });
    await expect(readOnly.eventStats(event.slug)).rejects.toMatchObject({ name: 'OvationError', status: 403 } satisfies Partial<OvationError>);
  });

  it('receives signed events from the workers, handles a redelivery once, and refuses a forged delivery', async () => {
    const received: { id: string; event: OvationEvent }[] = [];
    const port = await freePort();
    process.env.WEBHOOKS_ALLOW_HOSTS = `${h.receiver.host},127.0.0.1:${port}`;
    const created = await h.api.post('/subscriptions', { url: `http://127.0.0.1:${port}/ovation`, eventTypes: ['webhook.test'], ownerEmail: 'hooks@partner.test' });
    expect(created.status).toBe(201);
    const { subscription, secret } = created.body.data as { subscription: { id: number; documentId: string }; secret: string };
    // The secret is shown once, when the subscription is made: the receiver is started with it.
    const live = createReceiver({ secrets: [secret], onEvent: (event, id) => void received.push({ id, event }) });
    await new Promise<void>((resolve) => live.listen(port, '127.0.0.1', resolve));
    try {
      expect((await h.api.post(`/subscriptions/${subscription.id}/test`)).status).toBe(202);
      await until(async () => received.length >= 1, 20_000, 'the test event at the example receiver');
      expect(received[0].event).toMatchObject({ type: 'webhook.test', data: { subscription: subscription.documentId } });

      // Redelivered with the same webhook-id: verified and answered, not handled a second time.
      const [delivery] = await h.deliveries(subscription.id);
      expect((await h.api.post(`/deliveries/${delivery.id}/redeliver`)).status).toBeLessThan(300);
      await until(async () => (await h.deliveries(subscription.id))[0].attempts >= 2 && (await h.deliveries(subscription.id))[0].state === 'succeeded', 20_000, 'the redelivery answered');
      expect(received).toHaveLength(1);

      const forged = await fetch(`http://127.0.0.1:${port}/ovation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
        body: JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: { subscription: 'x', message: 'forged' } }),
      });
      expect(forged.status).toBe(401);
      expect(received).toHaveLength(1);
    } finally {
      await new Promise((resolve) => live.close(resolve));
      await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).update({ active: false });
    }
  });
});
