import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKETING_ROLE, crmHarness, numbers, type CrmHarness } from './harness';

/** The campaign admin API: templates checked on save, SMS length, send or schedule, approval, pause, resume, cancel. */
describe('campaigns (admin API)', () => {
  let h: CrmHarness;
  let segmentId: number;
  let emptySegmentId: number;
  const count = async () => Number((await h.strapi.db.connection('crm_campaigns').count({ n: '*' }).first())?.n);
  const fanoutJobs = (id: number) => h.strapi.db.connection('ops_jobs').where('idempotency_key', 'like', `campaign.fanout:${id}:%`).orderBy('id');
  const phase = async (id: number) => (await h.strapi.db.connection('crm_campaigns').where({ id }).first('phase')).phase as string;

  beforeAll(async () => {
    h = await crmHarness();
    const tag = h.tag('campaigns');
    for (let i = 0; i < 3; i += 1) await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [{ purpose: 'marketing_sms', action: 'opt_in' }] });
    await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [{ purpose: 'event:finale', action: 'opt_in' }] });
    segmentId = (await h.segment(h.byTag(tag))).id;
    const lonely = h.tag('no-consent');
    await h.fan({ phone: numbers.newYork(), tags: [lonely], consents: [{ purpose: 'event:finale', action: 'opt_in' }] });
    emptySegmentId = (await h.segment(h.byTag(lonely))).id;
  });

  it('refuses a template with an unknown variable, naming it, and saves nothing', async () => {
    const before = await count();
    const response = await h.api.post('/campaigns', {
      name: 'Finale',
      channel: 'sms',
      segmentId,
      templates: { en: { body: '{{event.title}} is on Friday' }, es: { body: '{{event.title}} en {{event.venue}}' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.message).toContain('{{event.venue}}');
    expect(response.body.error.details.errors[0].path).toEqual(['templates', 'es', 'body']);
    const email = await h.api.post('/campaigns', { name: 'Recap', channel: 'email', segmentId, templates: { en: { body: 'The recap' } } });
    expect(email.status).toBe(400);
    expect(email.body.error.details.errors[0].path).toEqual(['templates', 'en', 'subject']);
    expect((await h.api.post('/campaigns', { name: 'X', channel: 'sms', segmentId: 999999999, templates: { en: { body: 'x' } } })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('holds templates to their shape in the database too: a write around the API cannot break the list', async () => {
    const created = await h.api.post('/campaigns', { name: 'Shape', channel: 'sms', segmentId, templates: { en: { body: 'The finale is Friday' } } });
    expect(created.status).toBe(201);
    const row = () => h.strapi.db.connection('crm_campaigns').where({ id: created.body.data.id });
    for (const templates of [{ probe: 'x' }, {}, { en: 'text' }, { en: { subject: 'No body' } }, { en: { body: 7 } }, ['en']]) {
      await expect(row().update({ templates: JSON.stringify(templates) }), JSON.stringify(templates)).rejects.toThrow(/crm_campaigns_templates_shape/);
    }
    await row().update({ templates: JSON.stringify({ en: { body: 'Still fine' }, es: { body: 'Todo bien', subject: 'Hola' } }) });
    const list = await h.api.get('/campaigns');
    expect(list.status).toBe(200);
    expect(list.body.data.map((campaign: { id: number }) => campaign.id)).toContain(created.body.data.id);
  });

  it('shows each language’s SMS length in segments, GSM-7 or UCS-2, with the opt-out line', async () => {
    const campaign = await h.campaign({ segmentId, templates: { en: { body: 'a'.repeat(140) }, es: { body: '¡La final es el viernes! 🎤' } } });
    const { sms } = (await h.api.get(`/campaigns/${campaign.id}`)).body.data.campaign;
    expect(sms.en).toEqual({ encoding: 'GSM-7', characters: 140 + 1 + 'Reply STOP to opt out'.length, segments: 2 });
    expect(sms.es.encoding).toBe('UCS-2');
    expect(sms.es.segments).toBe(1);
  });

  it('schedules a send as a durable job due at its time, once', async () => {
    const campaign = await h.campaign({ segmentId });
    const at = new Date(Date.now() + 3 * 3_600_000);
    const sent = await h.api.post(`/campaigns/${campaign.id}/send`, { at: at.toISOString() });
    expect(sent.status).toBe(202);
    expect(sent.body.data).toMatchObject({ state: 'scheduled', recipients: 3, scheduledAt: at.toISOString() });
    const [job, ...others] = await fanoutJobs(campaign.id);
    expect(others).toHaveLength(0);
    expect(job).toMatchObject({ name: 'campaign.fanout', state: 'queued' });
    expect(new Date(job.due_at).getTime()).toBe(at.getTime());
    expect(typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload).toEqual({ campaignId: campaign.id });
    // A second click: refused, still one job.
    expect((await h.api.post(`/campaigns/${campaign.id}/send`, {})).status).toBe(400);
    expect(await fanoutJobs(campaign.id)).toHaveLength(1);
    expect((await h.api.put(`/campaigns/${campaign.id}`, { name: 'Too late' })).status).toBe(400);
  });

  it('refuses a time in the past and a segment nobody in which consented, changing nothing', async () => {
    const campaign = await h.campaign({ segmentId });
    const past = await h.api.post(`/campaigns/${campaign.id}/send`, { at: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.details.errors[0].path).toEqual(['at']);
    expect(past.body.error.message).toContain('in the past');
    const empty = await h.campaign({ segmentId: emptySegmentId });
    const none = await h.api.post(`/campaigns/${empty.id}/send`, {});
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('reach no one');
    expect(await phase(campaign.id)).toBe('draft');
    expect(await phase(empty.id)).toBe('draft');
    expect(await fanoutJobs(campaign.id)).toHaveLength(0);
  });

  it('waits for a second Marketing user’s approval above 1,000 recipients', async () => {
    const tag = h.tag('big');
    const now = new Date();
    const fans = Array.from({ length: 1001 }, () => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      phone_hash: crypto.randomBytes(32).toString('hex'),
      phone_encrypted: 'v1.none',
      phone_masked: '+1***00',
      language: 'en',
      tags: JSON.stringify([tag]),
      first_seen: now,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < fans.length; i += 250) await h.strapi.db.connection('fans').insert(fans.slice(i, i + 250));
    const consents = fans.map((fan) => ({ document_id: crypto.randomBytes(12).toString('hex'), subject_hash: fan.phone_hash, channel: 'sms', purpose: 'marketing_sms', action: 'opt_in', source: 'test', occurred_at: now, created_at: now, updated_at: now }));
    for (let i = 0; i < consents.length; i += 250) await h.strapi.db.connection('consent_records').insert(consents.slice(i, i + 250));
    const campaign = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id });

    const sent = await h.api.post(`/campaigns/${campaign.id}/send`, {});
    expect(sent.body.data).toMatchObject({ state: 'awaiting_approval', recipients: 1001 });
    expect(await fanoutJobs(campaign.id)).toHaveLength(0);
    const own = await h.api.post(`/campaigns/${campaign.id}/approve`);
    expect(own.status).toBe(403);
    expect(await phase(campaign.id)).toBe('awaiting_approval');

    const second = await h.session(MARKETING_ROLE);
    const approved = await h.apiAs(second.auth).post(`/campaigns/${campaign.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ state: 'scheduled', approvedBy: second.user.id });
    expect(await fanoutJobs(campaign.id)).toHaveLength(1);
    await h.api.post(`/campaigns/${campaign.id}/cancel`);
  });

  it('pauses, resumes with a fan-out job of its own, and cancels; a finished state moves no further', async () => {
    const campaign = await h.campaign({ segmentId });
    await h.api.post(`/campaigns/${campaign.id}/send`, { at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await h.api.post(`/campaigns/${campaign.id}/pause`)).body.data.state).toBe('paused');
    expect((await h.api.post(`/campaigns/${campaign.id}/pause`)).status).toBe(400);
    expect((await h.api.post(`/campaigns/${campaign.id}/resume`)).body.data.state).toBe('sending');
    expect((await fanoutJobs(campaign.id)).map((job: { idempotency_key: string }) => job.idempotency_key)).toEqual([`campaign.fanout:${campaign.id}:1`, `campaign.fanout:${campaign.id}:2`]);
    expect((await h.api.post(`/campaigns/${campaign.id}/cancel`)).body.data.state).toBe('cancelled');
    expect((await h.api.post(`/campaigns/${campaign.id}/resume`)).status).toBe(400);
    expect((await h.api.post(`/campaigns/${campaign.id}/cancel`)).status).toBe(400);
  });
});
