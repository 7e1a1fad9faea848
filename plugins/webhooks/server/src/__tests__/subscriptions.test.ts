import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, adminToken, createAdminUser } from '../../../../../cms/test/admin';
import { http } from '../../../../../cms/test/strapi';
import { webhookHarness, type WebhookHarness } from './harness';

/** The admin API of subscriptions: secrets shown once and stored sealed, bad input refused, permissions, the audit trail. */
describe('webhook subscriptions (admin API)', () => {
  let h: WebhookHarness;
  const count = async () => Number((await h.strapi.db.connection('webhooks_subscriptions').count({ n: '*' }).first())?.n);

  beforeAll(async () => {
    h = await webhookHarness();
  });
  afterAll(() => h.restore());

  it('creates a subscription whose secret is shown once and stored sealed, with the owner email sealed too', async () => {
    const subscription = await h.subscribe(['event.published', 'round.opened'], { description: 'Ticketing partner' });
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscription).toMatchObject({ eventTypes: ['event.published', 'round.opened'], active: true, description: 'Ticketing partner' });

    const listed = await h.api.get('/subscriptions');
    expect(listed.status).toBe(200);
    const text = JSON.stringify(listed.body);
    expect(text).toContain(subscription.url);
    expect(text).not.toContain(subscription.secret.slice(6));

    const row = await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).first();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(subscription.secret.slice(6));
    expect(stored).not.toContain(subscription.ownerEmail as string);
    expect(row.owner_email_masked).toMatch(/^o\*\*\*@partner\.test$/);
  });

  it('refuses private, loopback, link-local and metadata endpoints with a 400 naming the url, and saves nothing', async () => {
    const before = await count();
    for (const url of ['http://127.0.0.1/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', `http://localhost:${h.receiver.port}/hook`, 'ftp://partner.example/x', 'no url']) {
      const response = await h.api.post('/subscriptions', { url, eventTypes: ['event.published'] });
      expect(response.status, url).toBe(400);
      expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
      expect(response.body.error.details.errors[0].path, url).toEqual(['url']);
    }
    expect(await count()).toBe(before);
  });

  it('refuses unknown event types and unknown fields with a 400 naming them', async () => {
    const before = await count();
    const unknown = await h.api.post('/subscriptions', { url: h.receiver.url('/x'), eventTypes: ['event.published', 'event.deleted'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.errors[0].path).toEqual(['eventTypes', '1']);
    expect(unknown.body.error.message).toContain('event.deleted');
    expect((await h.api.post('/subscriptions', { url: h.receiver.url('/x'), eventTypes: [] })).status).toBe(400);
    expect((await h.api.post('/subscriptions', { url: h.receiver.url('/x'), eventTypes: ['webhook.test'], secret: 'whsec_mine' })).status).toBe(400);
    expect(await count()).toBe(before);

    const subscription = await h.subscribe(['event.published']);
    const edit = await h.api.put(`/subscriptions/${subscription.id}`, { url: 'http://192.168.0.10/hook' });
    expect(edit.status).toBe(400);
    expect(edit.body.error.details.errors[0].path).toEqual(['url']);
    expect((await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).first()).url).toBe(subscription.url);
    expect((await h.api.put('/subscriptions/999999999', { active: false })).status).toBe(404);
  });

  it('records creating, editing and rotating in the audit trail, without the secret', async () => {
    const subscription = await h.subscribe(['post.published']);
    await h.api.put(`/subscriptions/${subscription.id}`, { description: 'Edited' });
    const rotated = await h.api.post(`/subscriptions/${subscription.id}/rotate`);
    expect(rotated.status).toBe(200);
    const entries = await h.strapi.db.connection('audit_trail_entries').where({ content_type: 'plugin::webhooks.subscription', document_id: subscription.documentId }).orderBy('seq');
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['create', 'update', 'update']);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(subscription.secret.slice(6));
    expect(text).not.toContain(rotated.body.data.secret.slice(6));
  });

  it('removes a subscription, which then gets nothing', async () => {
    const subscription = await h.subscribe(['webhook.test']);
    const removed = await h.api.delete(`/subscriptions/${subscription.id}`);
    expect(removed.status).toBe(200);
    expect(await h.strapi.db.connection('webhooks_subscriptions').where({ id: subscription.id }).first()).toBeUndefined();
    expect((await h.api.post(`/subscriptions/${subscription.id}/test`)).status).toBe(404);
  });

  it('answers 401 without a session and 403 to an editor, for reading and for changing', async () => {
    expect((await (await http()).get('/webhooks/subscriptions')).status).toBe(401);
    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(h.strapi, ROLES.editor))}` };
    expect((await (await http()).get('/webhooks/subscriptions').set(editor)).status).toBe(403);
    const before = await count();
    const response = await (await http()).post('/webhooks/subscriptions').set(editor).send({ url: h.receiver.url('/x'), eventTypes: ['event.published'] });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ status: 403, name: 'PolicyError' });
    expect(await count()).toBe(before);
  });
});
