import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../../../workers/src/jobs';
import { createSandboxProvider } from '../../../../../workers/src/providers/sandbox';
import { createSendGridProvider } from '../../../../../workers/src/providers/sendgrid';
import type { Providers } from '../../../../../workers/src/providers';
import { handlerContext } from '../../../../../workers/src/__tests__/pool';
import { startFakeSendGrid } from '../../../../../scripts/lib/fake-sendgrid';
import { cmsUrl, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { EMAIL_CONSENT_TEXT, EMAIL_CONSENT_VERSION } from '../../../shared/contracts/email';
import { crmHarness, numbers, type CrmHarness } from './harness';

const ANY_HOUR = { startMinute: 0, endMinute: 0 };
const RUN = Date.now().toString(36);
let sequence = 0;
const address = (name: string) => `${name}-${RUN}-${(sequence += 1)}@fans.example.com`;
const linkIn = (text: string, path: string) => new RegExp(`https?://[^\\s"<>]+/api/crm/email/${path}/[A-Za-z0-9._-]+`).exec(text)?.[0];

/**
 * Marketing email end to end, through the cms's public routes, the outbox and the workers' send
 * job with the real @sendgrid/mail SDK against a local SendGrid: double opt-in, email campaigns
 * (sanitised HTML, plain text, per language, List-Unsubscribe), one-click unsubscribe, test sends,
 * and the SMS cost estimate.
 */
describe('marketing email', () => {
  let h: CrmHarness;
  let sendgrid: Awaited<ReturnType<typeof startFakeSendGrid>>;
  let providers: Providers;
  let publicUrl: string;
  const send = (messageId: number) => handlers['message.send']({ messageId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const fanout = (campaignId: number) => handlers['campaign.fanout']({ campaignId }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
  const outboxRow = (key: string) => h.strapi.db.connection('messages').where({ idempotency_key: key }).first();
  const consents = (email: string) =>
    h.strapi.db.connection('consent_records').where({ subject_hash: h.strapi.service('api::fan.fan').hashEmail(email), channel: 'email' }).orderBy('id');
  const fanWith = (email: string) => h.strapi.db.connection('fans').where({ email_hash: h.strapi.service('api::fan.fan').hashEmail(email) }).first();
  const subscribe = async (body: object) => (await http()).post('/api/crm/email/subscriptions').send(body);
  /** Sends the newest confirmation email to `email` through SendGrid; returns the link it carried. */
  const confirmationLinkFor = async (email: string) => {
    const row = await h.strapi.db.connection('messages').where({ purpose: 'email-confirmation', recipient_hash: h.strapi.service('api::fan.fan').hashEmail(email) }).orderBy('id', 'desc').first();
    expect(row.body).not.toMatch(/confirm\/[A-Za-z0-9_-]{22}\./);
    await send(row.id);
    const received = sendgrid.received.filter((mail) => mail.to === email).at(-1);
    return new URL(linkIn(received!.text, 'confirm')!);
  };
  const confirm = async (link: URL, accept = 'application/json') => (await http()).post(link.pathname).set('Accept', accept).send({});
  /** A fan with an address on file and the marketing_email opt-in (as a confirmed sign-up leaves them). */
  const emailFan = async (tag: string, language: 'en' | 'es' = 'en') => {
    const email = address(`fan-${language}`);
    const fan = await h.strapi.service('api::fan.fan').addEmail(email, { fanRef: null, language });
    await h.strapi.db.connection('fans').where({ document_id: fan.documentId }).update({ tags: JSON.stringify([tag]) });
    await h.consent(email, { purpose: 'marketing_email', action: 'opt_in', channel: 'email' });
    return { email, documentId: fan.documentId };
  };
  const emailCampaign = async (tag: string, templates: object) => {
    const created = await h.api.post('/campaigns', { name: `Email ${tag}`, channel: 'email', segmentId: (await h.segment(h.byTag(tag))).id, templates });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.data as { id: number; templates: Record<string, { body: string }> };
  };
  const sendAll = async (campaignId: number) => {
    for (const message of await h.messages(campaignId)) await send(message.id);
  };

  beforeAll(async () => {
    h = await crmHarness();
    sendgrid = await startFakeSendGrid();
    providers = { sms: createSandboxProvider('sms'), email: createSendGridProvider({ apiKey: 'SG.test-key', from: 'news@ovation.test', apiBaseUrl: sendgrid.url }) };
    h.strapi.config.set('plugin::crm.quietHours', ANY_HOUR);
    // Links point at this run's cms (other files expect PUBLIC_URL's: put back after).
    publicUrl = h.strapi.config.get('plugin::crm.publicUrl') as string;
    h.strapi.config.set('plugin::crm.publicUrl', await cmsUrl());
  });
  afterAll(async () => {
    h.strapi.config.set('plugin::crm.publicUrl', publicUrl);
    h.strapi.config.set('plugin::crm.quietHours', { startMinute: 21 * 60, endMinute: 8 * 60 });
    await sendgrid.close();
  });

  it('double opt-in from a vote page: no marketing email before the link is followed, then the campaign reaches the fan', async () => {
    const event = await createVotingEvent(h.strapi);
    const tag = h.tag('opt-in');
    const fan = await h.fan({ phone: numbers.newYork(), tags: [tag] });
    const token = await h.strapi.plugin('sms-voting').service('tokens').issue({ roundRef: event.roundRef, fanRef: fan.documentId });
    const email = address('voter');

    const signed = await subscribe({ email: ` ${email.toUpperCase()} `, language: 'en', source: 'vote-page', token });
    expect(signed.status, JSON.stringify(signed.body)).toBe(202);
    expect(signed.body.data).toMatchObject({ status: 'confirmation-sent' });
    const signup = await h.strapi.db.connection('crm_email_confirmations').where({ email_hash: h.strapi.service('api::fan.fan').hashEmail(email) }).first();
    expect(signup).toMatchObject({ fan_ref: fan.documentId, source: 'vote-page', confirmed_at: null });
    expect(signup.email_encrypted).not.toContain(email.split('@')[0]);
    expect(await fanWith(email)).toBeUndefined();

    // Not yet confirmed: an email campaign to the fan's segment reaches no one.
    const campaign = await emailCampaign(tag, { en: { subject: 'News', body: '<p>The finale is next Friday</p>' } });
    const early = await h.api.post(`/campaigns/${campaign.id}/send`, {});
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/reach no one/);

    const link = await confirmationLinkFor(email);
    expect(link.pathname).toMatch(/^\/api\/crm\/email\/confirm\//);
    // Opening the link changes nothing (mail scanners open links): it shows a button that POSTs.
    const page = await (await http()).get(link.pathname).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`<form method="post" action="${link.pathname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    expect(await consents(email)).toHaveLength(0);

    const confirmed = await confirm(link);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.data).toEqual({ status: 'confirmed' });
    const [record] = await consents(email);
    const evidence = typeof record.evidence === 'string' ? JSON.parse(record.evidence) : record.evidence;
    const shown = EMAIL_CONSENT_TEXT.en('Ovation');
    expect(record).toMatchObject({ purpose: 'marketing_email', action: 'opt_in', source: 'email-double-opt-in' });
    expect(evidence).toMatchObject({ text: shown, textSha256: crypto.createHash('sha256').update(shown).digest('hex'), version: EMAIL_CONSENT_VERSION, shownOn: 'vote-page', fanRef: fan.documentId });
    expect((await fanWith(email))?.document_id).toBe(fan.documentId);

    // Used again: 409, nothing recorded.
    const again = await confirm(link);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already been used/);
    expect(await consents(email)).toHaveLength(1);

    expect((await h.api.post(`/campaigns/${campaign.id}/send`, {})).status).toBe(202);
    expect(await fanout(campaign.id)).toMatchObject({ status: 'sent', queued: 1 });
    await sendAll(campaign.id);
    expect(sendgrid.received.filter((mail) => mail.to === email).map((mail) => mail.subject)).toContain('News');

    // Erasing the fan takes their sign-ups (the address sealed and hashed) with them.
    const signups = () => h.strapi.db.connection('crm_email_confirmations').where({ email_hash: h.strapi.service('api::fan.fan').hashEmail(email) });
    expect(await signups()).toHaveLength(1);
    await h.strapi.plugin('crm').service('fans').erase(fan.id, fan.documentId);
    expect(await signups()).toHaveLength(0);
  });

  it('a recap sign-up becomes an email-only fan once confirmed; forged and expired links change nothing', async () => {
    const email = address('reader');
    expect((await subscribe({ email, language: 'es', source: 'recap-page' })).status).toBe(202);
    const link = await confirmationLinkFor(email);
    expect(sendgrid.received.filter((mail) => mail.to === email).at(-1)?.subject).toMatch(/^Confirma tu email/);
    const page = await (await http()).post(link.pathname).set('Accept', 'text/html').type('form').send('');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Te has suscrito');
    expect(await fanWith(email)).toMatchObject({ language: 'es', phone_hash: null });

    const forged = `${link.pathname.slice(0, -4)}AAAA`;
    const refused = await (await http()).post(forged).send({});
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toMatch(/not valid/);
    expect((await (await http()).post('/api/crm/email/confirm/not-a-token').send({})).status).toBe(404);
    const forgedPage = await (await http()).get(forged).set('Accept', 'text/html');
    expect(forgedPage.status).toBe(404);
    expect(forgedPage.text).toContain('This link cannot be used');

    const late = address('late');
    await subscribe({ email: late, language: 'en', source: 'recap-page' });
    const lateLink = await confirmationLinkFor(late);
    await h.strapi.db.connection('crm_email_confirmations').where({ email_hash: h.strapi.service('api::fan.fan').hashEmail(late) }).update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await confirm(lateLink);
    expect(expired.status).toBe(410);
    expect(expired.body.error.message).toMatch(/expired/);
    expect(await consents(late)).toHaveLength(0);
    expect(await fanWith(late)).toBeUndefined();
  });

  it('refuses bad sign-ups with a 400 or 404 naming the problem, and sends an address at most 3 confirmations an hour', async () => {
    const bad = await subscribe({ email: 'not-an-address', language: 'en', source: 'recap-page' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['email']);
    expect((await subscribe({ email: address('x'), language: 'en', source: 'vote-page' })).body.error.details.errors[0].path).toEqual(['token']);
    expect((await subscribe({ email: address('x'), language: 'en', source: 'vote-page', token: 'A'.repeat(24) })).status).toBe(404);
    expect((await subscribe({ email: address('x'), language: 'en', source: 'recap-page', event: 'no-such-event' })).status).toBe(404);

    const email = address('flood');
    for (let i = 0; i < 3; i += 1) expect((await subscribe({ email, language: 'en', source: 'recap-page' })).status).toBe(202);
    const flood = await subscribe({ email, language: 'en', source: 'recap-page' });
    expect(flood.status).toBe(429);
    expect(Number((await h.strapi.db.connection('messages').where({ purpose: 'email-confirmation', recipient_hash: h.strapi.service('api::fan.fan').hashEmail(email) }).count({ n: '*' }).first())?.n)).toBe(3);
  });

  it('sends each fan the sanitised HTML and a plain-text part in their language, with their own List-Unsubscribe link; one click opts them out for good', async () => {
    const tag = h.tag('email');
    const en = await emailFan(tag, 'en');
    const es = await emailFan(tag, 'es');
    const campaign = await emailCampaign(tag, {
      en: {
        subject: 'Tickets for {{brand.name}}',
        body: '<p onclick="steal()">Tickets are <strong>on sale</strong><script>alert(1)</script></p><p><a href="javascript:alert(1)">x</a> <a href="https://tickets.example.com/tour">Buy</a></p><img src="http://tracker.example.com/p.gif"><img src="https://cdn.example.com/tour.jpg" alt="Tour"><p>From {{brand.name}}</p>',
      },
      es: { subject: 'Entradas', body: '<p>¡Entradas a la venta!</p>', text: 'Entradas a la venta (texto)' },
    });
    expect(campaign.templates.en.body).toBe('<p>Tickets are <strong>on sale</strong></p><p><a>x</a> <a href="https://tickets.example.com/tour">Buy</a></p><img /><img src="https://cdn.example.com/tour.jpg" alt="Tour" /><p>From {{brand.name}}</p>');
    // Values go into the HTML escaped, into the text as they are.
    h.strapi.config.set('plugin::crm.brandName', 'Rock & <Roll>');

    expect((await h.api.post(`/campaigns/${campaign.id}/send`, {})).status).toBe(202);
    expect(await fanout(campaign.id)).toMatchObject({ status: 'sent', queued: 2 });
    h.strapi.config.set('plugin::crm.brandName', 'Ovation');
    const stored = await h.messages(campaign.id);
    expect(stored.map((m: { body: string }) => m.body).join()).not.toMatch(/unsubscribe\/\d+\./);
    await sendAll(campaign.id);

    const toEn = sendgrid.received.find((mail) => mail.to === en.email)!;
    expect(toEn).toMatchObject({ subject: 'Tickets for Rock & <Roll>', from: 'news@ovation.test' });
    expect(toEn.html).toContain('<p>From Rock &amp; &lt;Roll&gt;</p>');
    expect(toEn.text).toContain('From Rock & <Roll>');
    expect(toEn.html).toContain('<strong>on sale</strong>');
    expect(toEn.html).not.toMatch(/script|onclick|javascript:/);
    expect(toEn.text).toContain('Tickets are on sale');
    // Links are the fan's own short links, in the HTML and the text alike; images stay as they are.
    const short = /href="([^"]+\/l\/[A-Za-z0-9_-]{11})">Buy<\/a>/.exec(toEn.html!)?.[1] as string;
    expect(short.startsWith(await cmsUrl())).toBe(true);
    expect(toEn.text).toContain(`Buy (${short})`);
    expect(toEn.html).toContain('<img src="https://cdn.example.com/tour.jpg" alt="Tour" />');
    expect(`${toEn.html}${toEn.text}`).not.toContain('tickets.example.com');
    expect(toEn.trackingSettings).toMatchObject({ click_tracking: { enable: false, enable_text: false } });
    const followed = await (await http()).get(new URL(short).pathname).redirects(0);
    expect(followed.status).toBe(302);
    expect(followed.headers.location).toBe('https://tickets.example.com/tour');
    expect(Number((await h.strapi.db.connection('crm_link_clicks').where({ campaign_id: campaign.id }).count({ n: '*' }).first())?.n)).toBe(1);
    expect(toEn.text).not.toMatch(/<[a-z]/);
    expect(toEn.html).not.toContain('tracker.example.com');
    const unsubscribeUrl = linkIn(toEn.headers!['List-Unsubscribe'], 'unsubscribe')!;
    expect(toEn.headers).toEqual({ 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(toEn.html).toContain(`<a href="${unsubscribeUrl}">Unsubscribe</a>`);
    expect(toEn.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);

    const toEs = sendgrid.received.find((mail) => mail.to === es.email)!;
    expect(toEs.subject).toBe('Entradas');
    expect(toEs.text).toMatch(/^Entradas a la venta \(texto\)/);
    expect(toEs.html).toContain('Darte de baja</a>');
    const esUrl = linkIn(toEs.headers!['List-Unsubscribe'], 'unsubscribe')!;
    expect(esUrl).not.toBe(unsubscribeUrl);

    // The GET shows a page with a button; only the POST opts out.
    const path = new URL(unsubscribeUrl).pathname;
    const page = await (await http()).get(path).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await consents(en.email)).map((r: { action: string }) => r.action)).toEqual(['opt_in']);

    // RFC 8058: one POST with List-Unsubscribe=One-Click, as a mail client sends it.
    const clicked = await (await http()).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(clicked.status).toBe(200);
    expect((await consents(en.email)).map((r: { action: string; source: string }) => [r.action, r.source])).toEqual([['opt_in', 'test'], ['opt_out', 'email-unsubscribe']]);
    expect((await (await http()).post(path).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
    expect(await consents(en.email)).toHaveLength(2);
    expect((await (await http()).post(`${path.slice(0, -3)}AAA`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);

    // A message of this campaign still queued for them is suppressed; the next campaign leaves them out.
    const before = sendgrid.received.filter((mail) => mail.to === en.email).length;
    const [queued] = stored.filter((m: { recipient_hash: string }) => m.recipient_hash === h.strapi.service('api::fan.fan').hashEmail(en.email));
    await h.strapi.db.connection('messages').where({ id: queued.id }).update({ state: 'failed' });
    expect(await send(queued.id)).toMatchObject({ status: 'suppressed' });
    const next = await emailCampaign(tag, { en: { subject: 'Again', body: '<p>Again</p>' } });
    expect((await h.api.post(`/campaigns/${next.id}/send`, {})).status).toBe(202);
    expect(await fanout(next.id)).toMatchObject({ status: 'sent', queued: 1 });
    await sendAll(next.id);
    expect(sendgrid.received.filter((mail) => mail.to === en.email)).toHaveLength(before);
    expect(sendgrid.received.filter((mail) => mail.to === es.email).map((mail) => mail.subject)).toContain('Again');
  });

  it('sends a test of an email to the admin’s own address and of an SMS to a typed number, marked as tests, limited per admin', async () => {
    const tag = h.tag('test-send');
    const draft = await emailCampaign(tag, { en: { subject: 'Hello', body: '<p>English</p>' } });
    // An edit is sanitised as a new campaign is.
    const edited = await h.api.put(`/campaigns/${draft.id}`, { templates: { en: { subject: 'Hello', body: '<p>English<script>x()</script></p>' }, es: { subject: 'Hola', body: '<p onmouseover="x()">Español</p>' } } });
    expect(edited.body.data.templates).toEqual({ en: { subject: 'Hello', body: '<p>English</p>' }, es: { subject: 'Hola', body: '<p>Español</p>' } });
    const campaign = edited.body.data as { id: number };
    const tested = await h.api.post(`/campaigns/${campaign.id}/test`, { language: 'es' });
    expect(tested.status, JSON.stringify(tested.body)).toBe(202);
    const row = await h.strapi.db.connection('messages').where({ purpose: 'campaign-test', topic: `campaign-test:user:${h.marketing.user.id}` }).orderBy('id', 'desc').first();
    await send(row.id);
    const mail = sendgrid.received.filter((m) => m.to === h.marketing.user.email.toLowerCase()).at(-1)!;
    expect(mail).toMatchObject({ subject: '[Test] Hola' });
    expect(mail.text).toContain('Español');
    expect(mail.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const sms = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id, templates: { en: { body: 'Doors open at 8' } } });
    expect((await h.api.post(`/campaigns/${sms.id}/test`, { language: 'en' })).body.error.details.errors[0].path).toEqual(['to']);
    expect((await h.api.post(`/campaigns/${sms.id}/test`, { language: 'en', to: '555' })).status).toBe(400);
    const phone = numbers.newYork();
    const smsTest = await h.api.post(`/campaigns/${sms.id}/test`, { language: 'en', to: phone });
    expect(smsTest.status).toBe(202);
    expect(smsTest.body.data).toEqual({ channel: 'sms', language: 'en', to: `${phone.slice(0, 3)}***${phone.slice(-2)}` });
    const smsRow = await h.strapi.db.connection('messages').where({ purpose: 'campaign-test', channel: 'sms' }).orderBy('id', 'desc').first();
    expect(smsRow.body).toBe('Doors open at 8\nReply STOP to opt out');
    expect(smsRow.recipient_encrypted).not.toContain(phone.slice(2));
    expect(await outboxRow(smsRow.idempotency_key)).toMatchObject({ state: 'queued' });
    expect(await h.strapi.db.connection('fans').where({ phone_hash: h.strapi.service('api::fan.fan').hashPhone(phone) }).first()).toBeUndefined();

    h.strapi.config.set('plugin::crm.testSendsPerHour', 2);
    try {
      const limited = await h.api.post(`/campaigns/${sms.id}/test`, { language: 'en', to: phone });
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(/at most 2 an hour/);
    } finally {
      h.strapi.config.set('plugin::crm.testSendsPerHour', 10);
    }
  });

  it('estimates an SMS campaign’s cost: each fan’s segments in their language at the configured price', async () => {
    const tag = h.tag('cost');
    for (const language of ['en', 'en', 'es'] as const) {
      await h.fan({ phone: language === 'es' ? numbers.spain() : numbers.newYork(), language, tags: [tag], consents: [{ purpose: 'marketing_sms', action: 'opt_in' }] });
    }
    const long = 'x'.repeat(170); // two GSM-7 segments once the opt-out line is added
    const campaign = await h.campaign({ segmentId: (await h.segment(h.byTag(tag))).id, templates: { en: { body: 'Short' }, es: { body: long } } });
    const found = await h.api.get(`/campaigns/${campaign.id}`);
    expect(found.body.data.campaign.sms.es.segments).toBe(2);
    expect(found.body.data.campaign.cost).toEqual({ recipients: 3, segments: 4, perSegment: 0.0083, amount: 0.0332, currency: 'USD' });
    // Not on the list: each cost is an audience count, and the list shows up to 200 campaigns.
    const listed = (await h.api.get('/campaigns')).body.data.find((c: { id: number }) => c.id === campaign.id);
    expect(listed.sms.es.segments).toBe(2);
    expect(listed).not.toHaveProperty('cost');
  });
});
