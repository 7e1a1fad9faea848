/**
 * A campaign's page in Debian's Chromium, through the real admin (built, served by a second cms on
 * the run's database), as a Marketing user: a campaign scheduled at 18:00 in each fan's own zone from
 * the list; a campaign's page reached by keyboard from the list, its numbers
 * per language, the hourly table beside the chart, and the failures with their reasons; axe-clean.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { http } from '../../../../../cms/test/strapi';
import { launchChromium } from '../../../../../site/test/browser';
import { handlers } from '../../../../../workers/src/jobs';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { handlerContext } from '../../../../../workers/src/__tests__/pool';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { MARKETING_ROLE, crmHarness, numbers, type CrmHarness } from './harness';

const STATUS_PATH = '/api/crm/twilio/status';

describe('a campaign’s page', () => {
  let h: CrmHarness;
  let adminUrl: string;
  let browser: Browser;
  let fakeTwilio: Awaited<ReturnType<typeof startFakeTwilio>>;

  beforeAll(async () => {
    h = await crmHarness();
    fakeTwilio = await startFakeTwilio();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    h.strapi.config.set('plugin::crm.quietHours', { startMinute: 0, endMinute: 0 });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await fakeTwilio?.close();
    h?.strapi.config.set('plugin::crm.quietHours', { startMinute: 21 * 60, endMinute: 8 * 60 });
  });

  it('shows sent, delivered, failed, clicked and opted out per language, over time and with the failures’ reasons', async () => {
    const providers = providersFromEnv({ TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000015', TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '+15005550015', TWILIO_API_BASE_URL: fakeTwilio.url, PUBLIC_URL: process.env.PUBLIC_URL });
    const tag = h.tag('stats');
    const marketing = { purpose: 'marketing_sms', action: 'opt_in' as const };
    const fans = [
      await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [marketing] }),
      await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [marketing] }),
      await h.fan({ phone: numbers.spain(), language: 'es', tags: [tag], consents: [marketing] }),
    ];
    const name = `Tour ${tag}`;
    const campaign = await h.campaign({ name, segmentId: (await h.segment(h.byTag(tag))).id, templates: { en: { body: 'Tickets: https://tickets.example.com/tour' }, es: { body: 'Entradas: https://tickets.example.com/gira' } } });
    await h.api.post(`/campaigns/${campaign.id}/send`, {});
    await handlers['campaign.fanout']({ campaignId: campaign.id }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });
    const messages = await h.messages(campaign.id);
    for (const message of messages) await handlers['message.send']({ messageId: message.id }, handlerContext(h.strapi, providers) as never, { id: 0, attempts: 1 });

    const sidOf = (phone: string) => fakeTwilio.received.find((m) => m.to === phone)!.sid;
    const report = async (phone: string, status: string, extra: Record<string, string> = {}) => {
      const form = { MessageSid: sidOf(phone), MessageStatus: status, ...extra };
      const signature = twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN as string, `${process.env.PUBLIC_URL}${STATUS_PATH}`, form);
      await (await http()).post(STATUS_PATH).type('form').set('X-Twilio-Signature', signature).send(form).expect(204);
    };
    await report(fans[0].phone, 'delivered');
    await report(fans[1].phone, 'delivered');
    await report(fans[2].phone, 'undelivered', { ErrorCode: '30005' });
    const link = await h.strapi.db.connection('crm_short_links').whereIn('message_id', messages.map((m: { id: number }) => m.id)).orderBy('message_id').first();
    await (await http()).get(`/l/${link.code}`).expect(302);
    await h.consent(fans[1].phone, { purpose: 'all', action: 'opt_out' });

    const later = await h.campaign({ name: `Later ${tag}`, segmentId: (await h.segment(h.byTag(tag))).id });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await logIn(page, adminUrl, await createAdminUser(h.strapi, MARKETING_ROLE));
    await page.getByRole('navigation').getByRole('link', { name: 'Marketing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Marketing' }).waitFor();

    // Scheduling another campaign at 18:00 in each fan's own time zone, from the list.
    await page.getByLabel('Send at (empty: now)').fill('2099-06-15T18:00');
    await page.getByRole('checkbox', { name: 'At that time in each fan’s own time zone' }).check();
    await page.getByRole('row').filter({ hasText: `Later ${tag}` }).getByRole('button', { name: 'Schedule' }).click();
    await expect.poll(async () => (await h.api.get(`/campaigns/${later.id}`)).body.data.campaign).toMatchObject({ state: 'scheduled', localTime: '18:00', localDate: '2099-06-15', scheduledAt: '2099-06-15T04:00:00.000Z' });
    // By keyboard: the link is focusable and Enter follows it.
    const open = page.getByRole('link', { name: `Delivery and clicks of ${name}` });
    await open.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name }).waitFor();

    const delivery = page.getByRole('region', { name: 'Delivery by language' });
    const row = (label: string) => delivery.getByRole('row').filter({ has: page.getByRole('gridcell', { name: label, exact: true }) });
    const cells = async (label: string) => (await row(label).getByRole('gridcell').allInnerTexts()).slice(1).map((text) => text.trim());
    // Recipients, sent, delivered, failed, clicked, opted out after it.
    expect(await cells('All languages')).toEqual(['3', '3', '2', '1', '1', '1']);
    expect(await cells('English')).toEqual(['2', '2', '2', '0', '1', '1']);
    expect(await cells('Spanish')).toEqual(['1', '1', '0', '1', '0', '0']);

    const overTime = page.getByRole('region', { name: 'Over time' });
    await overTime.getByRole('img', { name: /per hour/ }).waitFor();
    // Summed over the hours shown (the test may straddle the turn of an hour).
    const hours = overTime.getByRole('row');
    const sums = [0, 0, 0, 0];
    for (let i = 1; i < (await hours.count()); i += 1) {
      const values = (await hours.nth(i).getByRole('gridcell').allInnerTexts()).slice(1).map(Number);
      values.forEach((value, column) => (sums[column] += value));
    }
    expect(sums).toEqual([3, 2, 1, 1]);
    await page.getByRole('region', { name: 'Failures' }).getByRole('row').filter({ hasText: 'Unknown destination handset' }).filter({ hasText: '30005' }).waitFor();

    await page.mouse.move(0, 0);
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
    await context.close();
  });
});
