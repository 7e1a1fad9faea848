import crypto from 'crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../../../workers/src/jobs';
import { campaignFanout } from '../../../../../workers/src/jobs/campaign-fanout';
import { providersFromEnv, type Providers } from '../../../../../workers/src/providers';
import { handlerContext } from '../../../../../workers/src/__tests__/pool';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { crmHarness, numbers, type CrmHarness } from './harness';

const ACCOUNT = 'AC00000000000000000000000000000013';
const MARKETING = { purpose: 'marketing_sms', action: 'opt_in' as const };
const ANY_HOUR = { startMinute: 0, endMinute: 0 };

/**
 * campaign.fanout and the sends after it, in this process with the real twilio SDK against a local
 * Twilio: who is messaged (consent, also re-checked at send time), what they get, and when (quiet hours).
 */
describe('campaign fan-out', () => {
  let h: CrmHarness;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let providers: Providers;
  const fanout = (campaignId: number) => handlers['campaign.fanout']({ campaignId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const send = (messageId: number) => handlers['message.send']({ messageId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const quietHours = (window: { startMinute: number; endMinute: number }) => h.strapi.config.set('plugin::crm.quietHours', window);
  const startedCampaign = async (segmentRules: object, body: Record<string, unknown> = {}) => {
    const campaign = await h.campaign({ segmentId: (await h.segment(segmentRules as never)).id, ...body });
    const sent = await h.api.post(`/campaigns/${campaign.id}/send`, {});
    if (sent.status !== 202) throw new Error(JSON.stringify(sent.body));
    return campaign.id;
  };

  beforeAll(async () => {
    h = await crmHarness();
    twilio = await startFakeTwilio();
    providers = providersFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'test-auth-token', TWILIO_FROM: '+15005550013', TWILIO_API_BASE_URL: twilio.url });
    quietHours(ANY_HOUR);
  });
  afterEach(() => quietHours(ANY_HOUR));
  afterAll(async () => {
    quietHours({ startMinute: 21 * 60, endMinute: 8 * 60 });
    await twilio.close();
  });

  it('messages only fans with marketing consent, and not one who texts STOP between fan-out and send', async () => {
    const tag = h.tag('consent');
    const yes = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING] });
    const laterStop = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING] });
    const votingOnly = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [{ purpose: 'event:finale', action: 'opt_in' }] });
    const stopped = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING, { purpose: 'all', action: 'opt_out' }, { purpose: 'all', action: 'opt_in' }] });
    const withdrew = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING, { purpose: 'marketing_sms', action: 'opt_out' }] });
    const nothing = await h.fan({ phone: numbers.newYork(), tags: [tag] });

    const campaignId = await startedCampaign(h.byTag(tag), { templates: { en: { body: 'Tickets for the tour are on sale' } } });
    const result = await fanout(campaignId);
    expect(result).toMatchObject({ status: 'sent', queued: 2 });
    const messages = await h.messages(campaignId);
    expect(messages.map((m: { recipient_masked: string }) => m.recipient_masked).sort()).toEqual([yes.phone, laterStop.phone].map((p) => `${p.slice(0, 3)}***${p.slice(-2)}`).sort());
    expect(messages.map((m: { idempotency_key: string }) => m.idempotency_key).sort()).toEqual([`campaign:${campaignId}:${yes.documentId}`, `campaign:${campaignId}:${laterStop.documentId}`].sort());

    await h.consent(laterStop.phone, { purpose: 'all', action: 'opt_out' });
    for (const message of messages) await send(message.id);
    const reached = twilio.received.map((m) => m.to);
    expect(reached).toContain(yes.phone);
    for (const phone of [laterStop.phone, votingOnly.phone, stopped.phone, withdrew.phone, nothing.phone]) expect(reached).not.toContain(phone);
    const states = Object.fromEntries((await h.messages(campaignId)).map((m: { idempotency_key: string; state: string }) => [m.idempotency_key, m.state]));
    expect(states).toEqual({ [`campaign:${campaignId}:${yes.documentId}`]: 'sent', [`campaign:${campaignId}:${laterStop.documentId}`]: 'suppressed' });
    expect((await h.api.get(`/campaigns/${campaignId}`)).body.data).toMatchObject({ campaign: { state: 'sent' }, fannedOut: 2, messages: { sent: 1, suppressed: 1 } });
  });

  it('fills each fan’s template in their language, with the opt-out line on the first marketing SMS in 30 days only', async () => {
    const event = await createVotingEvent(h.strapi);
    const tag = h.tag('templates');
    const en = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING] });
    const es = await h.fan({ phone: numbers.spain(), language: 'es', tags: [tag], consents: [MARKETING] });
    const artist = await h.strapi.db.connection('lineup_entries as l').join('artists as a', 'a.document_id', 'l.artist_ref').where('l.document_id', event.entries[1].documentId).first('a.name');
    await h.strapi.db.connection('sms_voting_votes').insert({
      document_id: crypto.randomBytes(12).toString('hex'), fan_ref: es.documentId, event_ref: event.eventRef, round_ref: event.roundRef, entry_ref: event.entries[1].documentId, vote_code: '2', channel: 'sms', created_at: new Date(), updated_at: new Date(),
    });
    const templates = { en: { body: '{{event.title}} is on Friday: {{event.url}}' }, es: { body: '¡{{event.title}}! Votaste por {{fan.first_vote_artist}}: {{event.url}}' } };
    const first = await startedCampaign(h.byTag(tag), { eventRef: event.eventRef, templates });
    await fanout(first);
    // Each link is the fan's own short link (tracking.test.ts): read here as the URL it stands for.
    const links = new Map((await h.strapi.db.connection('crm_short_links').where({ campaign_id: first })).map((link: { code: string; url: string }) => [link.code, link.url]));
    const expanded = (body: string) => body.replace(new RegExp(`${process.env.PUBLIC_URL}/l/([\\w-]{11})`, 'g'), (_, code: string) => `[${links.get(code)}]`);
    const bodies = Object.fromEntries((await h.messages(first)).map((m: { idempotency_key: string; body: string }) => [m.idempotency_key.split(':')[2], expanded(m.body)]));
    const title = `Test event ${event.slug.replace('test-event-', '')}`;
    expect(bodies[en.documentId]).toBe(`${title} is on Friday: [http://127.0.0.1:4321/events/${event.slug}]\nReply STOP to opt out`);
    expect(bodies[es.documentId]).toBe(`¡${title}! Votaste por ${artist.name}: [http://127.0.0.1:4321/es/events/${event.slug}]\nResponde STOP para darte de baja`);

    const second = await startedCampaign(h.byTag(tag), { templates: { en: { body: 'Recap is up' } } });
    await fanout(second);
    for (const message of await h.messages(second)) expect(message.body).toBe('Recap is up');
  });

  it('holds each message until 08:00 in the fan’s own time zone: the number’s region, else the event’s', async () => {
    quietHours({ startMinute: 21 * 60, endMinute: 8 * 60 });
    const event = await createVotingEvent(h.strapi);
    await h.strapi.db.connection('events').where({ document_id: event.eventRef }).update({ timezone: 'Asia/Tokyo' });
    const tag = h.tag('quiet');
    const madrid = await h.fan({ phone: numbers.spain(), tags: [tag], consents: [MARKETING] });
    const newYork = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING] });
    const losAngeles = await h.fan({ phone: numbers.losAngeles(), tags: [tag], consents: [MARKETING] });
    const mexico = await h.fan({ phone: numbers.mexico(), tags: [tag], consents: [MARKETING] });
    const campaignId = await startedCampaign(h.byTag(tag), { eventRef: event.eventRef });

    // 19:30 UTC on 15 June: 21:30 in Madrid, 15:30 in New York, 12:30 in Los Angeles, 04:30 in Tokyo.
    const now = new Date('2026-06-15T19:30:00Z');
    await (await campaignFanout(handlerContext(h.strapi))).run(campaignId, { now });
    const due = async (fan: { documentId: string }) => new Date((await h.sendJob(`campaign:${campaignId}:${fan.documentId}`)).due_at).toISOString();
    expect(await due(madrid)).toBe('2026-06-16T06:00:00.000Z');
    // Daytime there: due at once.
    expect(new Date(await due(newYork)).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(await due(losAngeles)).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await due(mexico)).toBe('2026-06-15T23:00:00.000Z');

    // At send time the gate asks again: a send that reaches a fan's night waits for the morning.
    const gate = h.strapi.plugin('crm').service('send-gate');
    const message = { idempotencyKey: `campaign:${campaignId}:${losAngeles.documentId}`, channel: 'sms', to: losAngeles.phone, recipientHash: h.strapi.service('api::fan.fan').hashPhone(losAngeles.phone) };
    expect(await gate.verdict(message, new Date('2026-06-16T05:00:00Z'))).toMatchObject({ send: false, retryAt: new Date('2026-06-16T15:00:00Z') });
    expect(await gate.verdict(message, new Date('2026-06-16T16:00:00Z'))).toEqual({ send: true });
  });

  it('pause holds unsent messages and stops the fan-out; resume goes on without duplicates; cancel drops the rest', async () => {
    const tag = h.tag('pause');
    const fans = [];
    for (let i = 0; i < 5; i += 1) fans.push(await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING] }));
    const campaignId = await startedCampaign(h.byTag(tag));
    h.strapi.config.set('plugin::crm.fanoutBatch', 2);
    try {
      await h.api.post(`/campaigns/${campaignId}/pause`);
      expect(await fanout(campaignId)).toMatchObject({ status: 'paused', queued: 0 });
      await h.api.post(`/campaigns/${campaignId}/resume`);
      await fanout(campaignId);
      await fanout(campaignId); // the resume's own job, and a retry of it: nothing twice
      expect(await h.messages(campaignId)).toHaveLength(5);
    } finally {
      h.strapi.config.set('plugin::crm.fanoutBatch', 500);
    }
    const [first, second, ...rest] = await h.messages(campaignId);
    expect((await send(first.id)).status).toBe('sent');
    await h.api.post(`/campaigns/${campaignId}/pause`);
    await expect(send(second.id)).rejects.toThrow(/paused/);
    await h.api.post(`/campaigns/${campaignId}/resume`);
    expect((await send(second.id)).status).toBe('sent');
    await h.api.post(`/campaigns/${campaignId}/cancel`);
    for (const message of rest) expect((await send(message.id)).status).toBe('suppressed');
    const counts = (await h.api.get(`/campaigns/${campaignId}`)).body.data.messages;
    expect(counts).toMatchObject({ sent: 2, suppressed: 3 });
    for (const fan of fans) expect(twilio.received.filter((m) => m.to === fan.phone).length).toBeLessThanOrEqual(1);
  });
});
