import crypto from 'crypto';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../../../workers/src/jobs';
import { campaignFanout } from '../../../../../workers/src/jobs/campaign-fanout';
import { providersFromEnv, type Providers } from '../../../../../workers/src/providers';
import { handlerContext } from '../../../../../workers/src/__tests__/pool';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { startFakeSendGrid } from '../../../../../scripts/lib/fake-sendgrid';
import { encryptPII, lookupHash } from '../../../../../cms/src/lib/pii';
import { http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { localSendTime, zonedInstant } from '../campaigns/local-time';
import { smsLength } from '../campaigns/sms-length';
import { shortenLinks } from '../tracking/short-links';
import { crmHarness, numbers, type CrmHarness } from './harness';

const MARKETING_SMS = { purpose: 'marketing_sms', action: 'opt_in' as const };
const ANY_HOUR = { startMinute: 0, endMinute: 0 };
const PUBLIC_URL = process.env.PUBLIC_URL as string;
const STATUS_PATH = '/api/crm/twilio/status';

describe('short links and local times (pure)', () => {
  it('shortens each distinct link once per message, leaving sentence punctuation outside the link', () => {
    let n = 0;
    const { body, links } = shortenLinks('See https://a.example/x, then https://b.example/y. Again: https://a.example/x!', 'https://cms.example/', () => `code${(n += 1)}`);
    expect(body).toBe('See https://cms.example/l/code1, then https://cms.example/l/code2. Again: https://cms.example/l/code1!');
    expect(links).toEqual([{ code: 'code1', url: 'https://a.example/x' }, { code: 'code2', url: 'https://b.example/y' }]);
  });

  it('finds a wall-clock time in a zone across daylight saving; a skipped time comes as late as the jump', () => {
    expect(zonedInstant('2026-03-29', 18 * 60, 'Europe/Madrid').toISOString()).toBe('2026-03-29T16:00:00.000Z');
    expect(zonedInstant('2026-03-28', 18 * 60, 'Europe/Madrid').toISOString()).toBe('2026-03-28T17:00:00.000Z');
    expect(zonedInstant('2026-03-08', 2 * 60 + 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // A week late (a pause): the next 18:00 still ahead, not one a week old.
    expect(localSendTime('2026-06-15', 18 * 60, 'Asia/Tokyo', new Date('2026-06-22T10:00:00Z')).toISOString()).toBe('2026-06-23T09:00:00.000Z');
  });
});

/**
 * Tracking, through the real app and the real twilio and @sendgrid/mail SDKs against local servers:
 * short links made at fan-out and followed, Twilio's signed status callbacks, SendGrid's signed Event
 * Webhook with suppression, the campaign's numbers, and "at 18:00 in each fan's own time zone".
 */
describe('campaign tracking', () => {
  let h: CrmHarness;
  let fakeTwilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let fakeSendGrid: Awaited<ReturnType<typeof startFakeSendGrid>>;
  let providers: Providers;
  const fanout = (campaignId: number) => handlers['campaign.fanout']({ campaignId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const send = (messageId: number) => handlers['message.send']({ messageId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const started = async (rules: object, body: Record<string, unknown> = {}) => {
    const campaign = await h.campaign({ segmentId: (await h.segment(rules as never)).id, ...body });
    const response = await h.api.post(`/campaigns/${campaign.id}/send`, {});
    if (response.status !== 202) throw new Error(JSON.stringify(response.body));
    return campaign.id;
  };
  const stats = async (campaignId: number) => (await h.api.get(`/campaigns/${campaignId}/stats`)).body.data;
  const status = async (messageId: number) => (await h.strapi.db.connection('crm_delivery_status').where({ message_id: messageId }).first())?.status;

  beforeAll(async () => {
    h = await crmHarness();
    [fakeTwilio, fakeSendGrid] = await Promise.all([startFakeTwilio(), startFakeSendGrid()]);
    providers = providersFromEnv({
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000014',
      TWILIO_AUTH_TOKEN: 'provider-side-token',
      TWILIO_FROM: '+15005550014',
      TWILIO_API_BASE_URL: fakeTwilio.url,
      PUBLIC_URL,
      SENDGRID_API_KEY: 'SG.test-key',
      EMAIL_FROM: 'news@ovation.test',
      SENDGRID_API_BASE_URL: fakeSendGrid.url,
    });
    h.strapi.config.set('plugin::crm.quietHours', ANY_HOUR);
  });
  afterEach(() => h.strapi.config.set('plugin::crm.quietHours', ANY_HOUR));
  afterAll(async () => {
    h.strapi.config.set('plugin::crm.quietHours', { startMinute: 21 * 60, endMinute: 8 * 60 });
    await Promise.all([fakeTwilio?.close(), fakeSendGrid?.close()]);
  });

  it('gives each recipient their own short link to the saved URL, counted in the SMS length, recorded and redirected on click', async () => {
    const tag = h.tag('links');
    for (let i = 0; i < 2; i += 1) await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING_SMS] });
    const target = 'https://tickets.example.com/tour?city=nyc';
    const campaignId = await started(h.byTag(tag), { templates: { en: { body: `Tickets are on sale: ${target} today` } } });
    await fanout(campaignId);

    const messages = await h.messages(campaignId);
    const links = await h.strapi.db.connection('crm_short_links').where({ campaign_id: campaignId }).orderBy('message_id');
    expect(links.map((link: { message_id: number }) => link.message_id)).toEqual(messages.map((m: { id: number }) => m.id));
    expect(new Set(links.map((link: { code: string }) => link.code)).size).toBe(2);
    for (const [i, message] of messages.entries()) {
      expect(links[i].url).toBe(target);
      expect(message.body).toBe(`Tickets are on sale: ${PUBLIC_URL}/l/${links[i].code} today\nReply STOP to opt out`);
      expect(links[i].code).toMatch(/^[A-Za-z0-9_-]{11}$/);
    }
    // The editor's length is the length of the SMS the fans get, short link and opt-out line included.
    const view = (await h.api.get(`/campaigns/${campaignId}`)).body.data.campaign;
    expect(view.sms.en).toEqual(smsLength(messages[0].body));

    // Nothing in the request chooses the target: only the URL stored with the code.
    const followed = await (await http()).get(`/l/${links[0].code}?url=https%3A%2F%2Fevil.example%2F&to=https://evil.example/`);
    expect(followed.status).toBe(302);
    expect(followed.headers.location).toBe(target);
    // Open to anyone: it spends the caller's per-address request budget, as /api does.
    expect(followed.headers['ratelimit-policy']).toMatch(/^"anonymous";q=\d+;w=60$/);
    await (await http()).get(`/l/${links[0].code}`).expect(302);
    const clicks = await h.strapi.db.connection('crm_link_clicks').where({ code: links[0].code });
    expect(clicks).toHaveLength(2);
    expect(Object.keys(clicks[0]).sort()).toEqual(['campaign_id', 'clicked_at', 'code', 'id', 'message_id']);
    expect(clicks[0]).toMatchObject({ message_id: messages[0].id, campaign_id: campaignId });

    for (const code of ['AAAAAAAAAAA', 'nope']) {
      const unknown = await (await http()).get(`/l/${code}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ status: 404, name: 'NotFoundError', message: 'No such link' });
    }
    expect((await stats(campaignId)).totals).toMatchObject({ recipients: 2, clicked: 1 });
  });

  it('records Twilio’s signed status callbacks forward only, refuses forged and unsigned ones, and shows failures with their reasons', async () => {
    const tag = h.tag('twilio');
    const fans = [await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING_SMS] }), await h.fan({ phone: numbers.losAngeles(), language: 'es', tags: [tag], consents: [MARKETING_SMS] })];
    const campaignId = await started(h.byTag(tag), { templates: { en: { body: 'The finale is Friday' }, es: { body: 'La final es el viernes' } } });
    await fanout(campaignId);
    const messages = await h.messages(campaignId);
    for (const message of messages) await send(message.id);
    const sid = (phone: string) => fakeTwilio.received.find((m) => m.to === phone)!.sid;
    const byPhone = new Map((await h.messages(campaignId)).map((m: { id: number; provider_message_id: string }) => [m.provider_message_id, m.id]));
    const [delivered, undelivered] = fans.map((fan) => ({ sid: sid(fan.phone), id: byPhone.get(sid(fan.phone)) as number }));
    // Each message's callback URL names its outbox row.
    for (const message of [delivered, undelivered]) expect(fakeTwilio.received.find((m) => m.sid === message.sid)?.statusCallback).toBe(`${PUBLIC_URL}${STATUS_PATH}?message=${message.id}`);

    const post = async (form: Record<string, string>, signature?: string) => {
      const request = (await http()).post(STATUS_PATH).type('form');
      if (signature !== undefined) request.set('X-Twilio-Signature', signature);
      return request.send(form);
    };
    const signed = (form: Record<string, string>) => post(form, twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN as string, `${PUBLIC_URL}${STATUS_PATH}`, form));
    const form = (messageSid: string, messageStatus: string, extra: Record<string, string> = {}) => ({ MessageSid: messageSid, MessageStatus: messageStatus, AccountSid: 'AC00000000000000000000000000000014', ...extra });

    expect((await signed(form(delivered.sid, 'sent'))).status).toBe(204);
    expect(await status(delivered.id)).toBe('sent');
    expect((await signed(form(delivered.sid, 'delivered'))).status).toBe(204);
    // Callbacks arrive in any order: a late `queued` or `sent` never takes `delivered` back.
    expect((await signed(form(delivered.sid, 'queued'))).status).toBe(204);
    expect((await signed(form(delivered.sid, 'sent'))).status).toBe(204);
    expect(await status(delivered.id)).toBe('delivered');
    const history = await h.strapi.plugin('crm').service('delivery').history(delivered.id);
    expect(history.map((event: { status: string }) => event.status)).toEqual(['sent', 'delivered', 'queued']);

    // Forged (signed with another token) or unsigned: 403 and nothing recorded.
    const forged = await post(form(delivered.sid, 'failed', { ErrorCode: '30007' }), twilio.getExpectedTwilioSignature('not-the-token', `${PUBLIC_URL}${STATUS_PATH}`, form(delivered.sid, 'failed', { ErrorCode: '30007' })));
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatchObject({ status: 403, message: 'Invalid or missing Twilio signature' });
    expect((await post(form(undelivered.sid, 'failed'))).status).toBe(403);
    expect(await h.strapi.plugin('crm').service('delivery').history(delivered.id)).toHaveLength(3);
    expect(await status(undelivered.id)).toBeUndefined();

    // A status that arrives before the worker stored the SID (Twilio can answer the send and call back
    // at once): found by the row its URL names, signed with the rest of the URL.
    await h.strapi.db.connection('messages').where({ id: undelivered.id }).update({ provider_message_id: null });
    const early = form(undelivered.sid, 'sent');
    const earlyUrl = `${STATUS_PATH}?message=${undelivered.id}`;
    const signedFor = (url: string, body: Record<string, string>) => twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN as string, `${PUBLIC_URL}${url}`, body);
    expect((await (await http()).post(earlyUrl).type('form').set('X-Twilio-Signature', signedFor(earlyUrl, early)).send(early)).status).toBe(204);
    expect(await status(undelivered.id)).toBe('sent');
    // Another row named in a URL signed for this one: refused.
    expect((await (await http()).post(`${STATUS_PATH}?message=${delivered.id}`).type('form').set('X-Twilio-Signature', signedFor(earlyUrl, early)).send(early)).status).toBe(403);
    const badUrl = `${STATUS_PATH}?message=first`;
    const bad = await (await http()).post(badUrl).type('form').set('X-Twilio-Signature', signedFor(badUrl, early)).send(early);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['message']);
    await h.strapi.db.connection('messages').where({ id: undelivered.id }).update({ provider_message_id: undelivered.sid });

    const accepted = await signed(form(undelivered.sid, 'undelivered', { ErrorCode: '30003' }));
    expect(accepted.status).toBe(204);
    // Outside the per-address request budget (Twilio posts thousands a minute from a few addresses).
    expect(accepted.headers['ratelimit-policy']).toBeUndefined();
    expect((await signed(form(`SM${'f'.repeat(32)}`, 'delivered'))).status).toBe(404);
    expect((await signed({ MessageStatus: 'delivered' })).status).toBe(400);

    const numbers_ = await stats(campaignId);
    expect(numbers_.totals).toMatchObject({ recipients: 2, sent: 2, delivered: 1, failed: 1, clicked: 0 });
    expect(numbers_.byLanguage.en).toMatchObject({ recipients: 1, delivered: 1, failed: 0 });
    expect(numbers_.byLanguage.es).toMatchObject({ recipients: 1, delivered: 0, failed: 1 });
    expect(numbers_.failures).toEqual([{ errorCode: '30003', reason: 'Unreachable destination handset', count: 1 }]);
    expect(numbers_.timeline.reduce((sum: number, hour: { sent: number }) => sum + hour.sent, 0)).toBe(2);
  });

  it('answers 429 to an address whose callbacks keep failing their signature, and never to a provider’s', async () => {
    // A client address of its own (as the site names a fan's), so the run's other callbacks are not held.
    const address = `198.51.100.${(Date.now() % 200) + 1}`;
    const forged = async () =>
      (await http())
        .post(STATUS_PATH)
        .type('form')
        .set({ 'X-Ovation-Site-Token': process.env.SITE_TOKEN as string, 'X-Ovation-Client-Address': address, 'X-Twilio-Signature': 'forged' })
        .send({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' });
    for (let i = 0; i < 30; i += 1) expect((await forged()).status).toBe(403);
    const held = await forged();
    expect(held.status).toBe(429);
    expect(held.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    // Others, the providers among them, are not held by it.
    const form = { MessageSid: `SM${'e'.repeat(32)}`, MessageStatus: 'delivered' };
    const signature = twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN as string, `${PUBLIC_URL}${STATUS_PATH}`, form);
    expect((await (await http()).post(STATUS_PATH).type('form').set('X-Twilio-Signature', signature).send(form)).status).toBe(404);
  });

  it('verifies SendGrid’s signed events, suppresses a hard-bounced address, and the next campaign skips it', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    h.strapi.config.set('plugin::crm.sendgridWebhookPublicKey', publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    const tag = h.tag('email');
    const withEmail = async (email: string) => {
      const fan = await h.fan({ phone: numbers.newYork(), tags: [tag] });
      await h.strapi.db.connection('fans').where({ id: fan.id }).update({ email_encrypted: encryptPII(email), email_hash: lookupHash(email) });
      await h.consent(email, { purpose: 'marketing_email', action: 'opt_in', channel: 'email' });
      return email;
    };
    const run = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
    const [kept, bounced, complained, unsubscribed] = [
      await withEmail(`kept-${run}@fans.test`),
      await withEmail(`bounced-${run}@fans.test`),
      await withEmail(`complained-${run}@fans.test`),
      await withEmail(`unsubscribed-${run}@fans.test`),
    ];
    const email = { channel: 'email', templates: { en: { subject: 'Tour dates', body: 'The tour is on sale' } } };
    const first = await started(h.byTag(tag), email);
    await fanout(first);
    const messages = await h.messages(first);
    for (const message of messages) await send(message.id);
    const idOf = (address: string) => Number(fakeSendGrid.received.find((mail) => mail.to === address)?.customArgs?.ovation_message_id);
    expect(messages.map((m: { id: number }) => m.id).sort()).toEqual([kept, bounced, complained, unsubscribed].map(idOf).sort());

    const post = async (events: object[], key: crypto.KeyObject | null) => {
      const payload = JSON.stringify(events);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const request = (await http()).post('/api/crm/sendgrid/events').set('Content-Type', 'application/json');
      if (key) {
        request.set('X-Twilio-Email-Event-Webhook-Signature', crypto.sign('sha256', Buffer.from(timestamp + payload), key).toString('base64'));
        request.set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp);
      }
      return request.send(payload);
    };
    const event = (address: string, name: string, extra: object = {}) => ({ email: address, event: name, timestamp: Math.floor(Date.now() / 1000), sg_event_id: crypto.randomUUID(), ovation_message_id: String(idOf(address)), ...extra });
    const bounce = event(bounced, 'bounce', { type: 'bounce', status: '5.1.1', reason: `550 5.1.1 <${bounced}>: The email account does not exist` });

    const otherKey = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    for (const key of [otherKey, null]) {
      const refused = await post([bounce], key);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ status: 403, message: 'Invalid or missing SendGrid signature' });
    }
    expect(await status(idOf(bounced))).toBeUndefined();

    const batch = [
      event(kept, 'delivered'),
      event(kept, 'open'),
      // A soft bounce (the receiving server refused for now) suppresses nothing.
      event(kept, 'bounce', { type: 'blocked', reason: '421 Try again later' }),
      bounce,
      event(complained, 'delivered'),
      event(complained, 'spamreport'),
      event(unsubscribed, 'unsubscribe'),
      // Mail this platform did not send (no custom argument): skipped.
      { email: kept, event: 'bounce', type: 'bounce', timestamp: Math.floor(Date.now() / 1000), sg_event_id: crypto.randomUUID() },
    ];
    expect((await post(batch, privateKey)).status).toBe(204);
    expect(await status(idOf(kept))).toBe('opened');
    expect(await status(idOf(bounced))).toBe('bounced');
    // The same event again (SendGrid retries) is recorded once, and suppresses once.
    expect((await post([bounce], privateKey)).status).toBe(204);
    const optOuts = await h.strapi.db.connection('consent_records').where({ subject_hash: lookupHash(bounced), channel: 'email', action: 'opt_out' });
    expect(optOuts).toHaveLength(1);
    expect(optOuts[0]).toMatchObject({ purpose: 'marketing_email', source: 'sendgrid:bounced' });
    const evidence = typeof optOuts[0].evidence === 'string' ? JSON.parse(optOuts[0].evidence) : optOuts[0].evidence;
    // The address the bounce's words named is not kept, neither in the evidence nor in the message's status.
    expect(evidence).toMatchObject({ provider: 'sendgrid', event: 'bounced', reason: '550 5.1.1 <[email]>: The email account does not exist', messageId: idOf(bounced) });
    expect(JSON.stringify(await h.strapi.db.connection('crm_delivery_events').where({ message_id: idOf(bounced) }))).not.toContain(bounced);
    expect(await h.strapi.db.connection('consent_records').where({ subject_hash: lookupHash(kept), action: 'opt_out' })).toHaveLength(0);
    for (const [address, source] of [[complained, 'sendgrid:spam_report'], [unsubscribed, 'sendgrid:unsubscribed']]) {
      expect(await h.strapi.db.connection('consent_records').where({ subject_hash: lookupHash(address), channel: 'email', action: 'opt_out', purpose: 'marketing_email' }).pluck('source')).toEqual([source]);
    }
    expect(await status(idOf(complained))).toBe('spam_report');

    // An unsubscribe or a spam report implies the mail arrived.
    expect((await stats(first)).totals).toMatchObject({ recipients: 4, sent: 4, delivered: 3, failed: 1, optedOut: 3 });

    const second = await started(h.byTag(tag), email);
    await fanout(second);
    const next = await h.messages(second);
    expect(next).toHaveLength(1);
    expect(next[0].recipient_hash).toBe(lookupHash(kept));
  });

  it('sends "at 18:00 in each fan’s own time zone": each fan at that hour there, tomorrow’s where it has passed', async () => {
    h.strapi.config.set('plugin::crm.quietHours', { startMinute: 21 * 60, endMinute: 8 * 60 });
    const event = await createVotingEvent(h.strapi);
    await h.strapi.db.connection('events').where({ document_id: event.eventRef }).update({ timezone: 'Asia/Tokyo' });
    const tag = h.tag('local');
    const madrid = await h.fan({ phone: numbers.spain(), tags: [tag], consents: [MARKETING_SMS] });
    const newYork = await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [MARKETING_SMS] });
    const losAngeles = await h.fan({ phone: numbers.losAngeles(), tags: [tag], consents: [MARKETING_SMS] });
    const tokyo = await h.fan({ phone: numbers.mexico(), tags: [tag], consents: [MARKETING_SMS] }); // no zone of its own: the event's
    const campaign = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id, eventRef: event.eventRef });

    const refusals = [
      [{ localTime: '22:00', on: '2099-06-15' }, 'localTime', /quiet hours/],
      [{ localTime: '25:00', on: '2099-06-15' }, 'localTime', /not a time of day/],
      [{ localTime: '18:00', on: '2020-06-15' }, 'on', /passed in every time zone/],
      [{ localTime: '18:00', at: '2099-06-15T18:00:00Z' }, 'localTime', /either/],
    ] as const;
    for (const [body, path, message] of refusals) {
      const refused = await h.api.post(`/campaigns/${campaign.id}/send`, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors[0].path).toEqual([path]);
      expect(refused.body.error.details.errors[0].message).toMatch(message);
    }
    expect((await h.api.get(`/campaigns/${campaign.id}`)).body.data.campaign.state).toBe('draft');

    // The day before: the fan-out is due as 18:00 reaches the zone furthest ahead (UTC+14).
    const view = await h.strapi.plugin('crm').service('campaigns').send(campaign.id, { localTime: '18:00', on: '2026-06-15' }, new Date('2026-06-14T12:00:00Z'));
    expect(view).toMatchObject({ state: 'scheduled', localTime: '18:00', localDate: '2026-06-15', scheduledAt: '2026-06-15T04:00:00.000Z' });
    // Without a day: today in the default zone (UTC here).
    const other = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id });
    expect(await h.strapi.plugin('crm').service('campaigns').send(other.id, { localTime: '09:30' }, new Date('2026-06-14T12:00:00Z'))).toMatchObject({ localTime: '09:30', localDate: '2026-06-14' });
    const job = await h.strapi.db.connection('ops_jobs').where({ idempotency_key: `campaign.fanout:${campaign.id}:1` }).first();
    expect(new Date(job.due_at).toISOString()).toBe('2026-06-15T04:00:00.000Z');

    // The fan-out runs late, at 17:00 UTC: 19:00 in Madrid and 02:00 (16th) in Tokyo have passed, so those get tomorrow's 18:00.
    await (await campaignFanout(handlerContext(h.strapi))).run(campaign.id, { now: new Date('2026-06-15T17:00:00Z') });
    const due = async (fan: { documentId: string }) => new Date((await h.sendJob(`campaign:${campaign.id}:${fan.documentId}`)).due_at).toISOString();
    expect(await due(newYork)).toBe('2026-06-15T22:00:00.000Z');
    expect(await due(losAngeles)).toBe('2026-06-16T01:00:00.000Z');
    expect(await due(madrid)).toBe('2026-06-16T16:00:00.000Z');
    expect(await due(tokyo)).toBe('2026-06-16T09:00:00.000Z');
    // Their jobs are due in the fixed clock's past: a worker pool of a later test file must send none of them.
    for (const id of [campaign.id, other.id]) expect((await h.api.post(`/campaigns/${id}/cancel`)).status).toBe(200);
  });
});
