/**
 * The Marketing page in Debian's Chromium, through the real admin (built, and served by a second cms
 * on the run's database), as a Marketing user: a segment built with its live count, a campaign
 * written and its cost estimated, tested on a typed number, sent, and its progress as workers in this
 * process send it to a local Twilio.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { launchChromium } from '../../../../../site/test/browser';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { startWorkerPool, until } from '../../../../../workers/src/__tests__/pool';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { MARKETING_ROLE, crmHarness, numbers, type CrmHarness } from './harness';

describe('the Marketing page', () => {
  let h: CrmHarness;
  let adminUrl: string;
  let browser: Browser;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let pool: ReturnType<typeof startWorkerPool>;

  beforeAll(async () => {
    h = await crmHarness();
    twilio = await startFakeTwilio();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    // The sends run here, whatever the hour of the run: quiet hours have tests of their own.
    h.strapi.config.set('plugin::crm.quietHours', { startMinute: 0, endMinute: 0 });
    const providers = providersFromEnv({ TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000132', TWILIO_AUTH_TOKEN: 'test-auth-token', TWILIO_FROM: '+15005550132', TWILIO_API_BASE_URL: twilio.url });
    pool = startWorkerPool({ strapi: h.strapi, providers, names: ['campaign.fanout', 'message.send'] });
  }, 600_000);
  afterAll(async () => {
    await pool?.stop();
    await browser?.close();
    await twilio?.close();
    h?.strapi.config.set('plugin::crm.quietHours', { startMinute: 21 * 60, endMinute: 8 * 60 });
  });

  const choose = async (page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) => {
    await scope.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  it('builds a segment with its live count, writes a campaign, sends it and watches it go out', async () => {
    const tag = h.tag('page');
    const consenting = [];
    for (let i = 0; i < 2; i += 1) consenting.push(await h.fan({ phone: numbers.newYork(), tags: [tag], consents: [{ purpose: 'marketing_sms', action: 'opt_in' }] }));
    const silent = await h.fan({ phone: numbers.newYork(), tags: [tag] });

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await logIn(page, adminUrl, await createAdminUser(h.strapi, MARKETING_ROLE));
    await page.getByRole('navigation').getByRole('link', { name: 'Marketing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Marketing' }).waitFor();

    await page.getByRole('button', { name: 'Add a rule' }).click();
    const second = page.getByRole('group', { name: 'Rule 2' });
    await second.getByLabel('Value').fill(tag);
    await page.getByRole('status').filter({ hasText: '2 fans match' }).waitFor();
    const segmentName = `Finale fans ${tag}`;
    await page.getByLabel('Segment name').fill(segmentName);
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment saved.').first().waitFor();

    const form = page.getByRole('form', { name: 'New campaign' });
    const campaignName = `Finale ${tag}`;
    await form.getByLabel('Campaign name').fill(campaignName);
    await choose(page, form, 'Segment', segmentName);
    await form.getByLabel(/Message \(English\)/).fill('The finale is next Friday: {{event.venue}}');
    await form.getByRole('button', { name: 'Save campaign' }).click();
    await page.getByText(/unknown variable \{\{event\.venue\}\}/).first().waitFor();
    await form.getByLabel(/Message \(English\)/).fill('The finale is next Friday');
    await form.getByRole('button', { name: 'Save campaign' }).click();
    const row = page.getByRole('row').filter({ hasText: campaignName });
    await row.getByText('en: 1 (GSM-7)').waitFor();
    // Its cost where it is shown alone: 2 consenting fans × 1 segment × CRM_SMS_PRICE_PER_SEGMENT (0.0083).
    await row.getByRole('button', { name: campaignName }).click();
    await page.getByRole('region', { name: `Progress of ${campaignName}` }).getByText('≈ 0.0166 USD for 2 fans (2 segments)').waitFor();
    await row.getByRole('button', { name: 'Send test' }).click();
    const test = page.getByRole('form', { name: `Send a test of ${campaignName}` });
    const testPhone = numbers.newYork();
    await test.getByLabel(/Send to this number/).fill(testPhone);
    // The page at rest: the pointer left over the button just clicked would be measured in its hover colours.
    await page.mouse.move(0, 0);
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);

    // Sent to the typed number at once, marked as a test, with no consent asked of that number.
    await test.getByRole('button', { name: 'Send test' }).click();
    await until(() => twilio.received.some((m) => m.to === testPhone && m.body.startsWith('The finale is next Friday')), 30_000, 'the test SMS sent');
    expect(await h.strapi.db.connection('messages').where({ purpose: 'campaign-test', recipient_masked: `${testPhone.slice(0, 3)}***${testPhone.slice(-2)}` }).first()).toBeTruthy();

    await row.getByRole('button', { name: 'Send now' }).click();
    await until(() => consenting.every((fan) => twilio.received.some((m) => m.to === fan.phone)), 30_000, 'both consenting fans texted');
    expect(twilio.received.filter((m) => m.to === silent.phone)).toHaveLength(0);
    await until(async () => {
      await page.reload();
      const reloaded = page.getByRole('row').filter({ hasText: campaignName });
      await reloaded.waitFor();
      return (await reloaded.getByText('sent', { exact: true }).count()) > 0;
    }, 60_000, 'the campaign shown as sent');
    await page.getByRole('row').filter({ hasText: campaignName }).getByRole('button', { name: campaignName }).click();
    await page.getByRole('region', { name: `Progress of ${campaignName}` }).getByText(/Fanned out 2 · queued 0 · sent 2/).waitFor();
    await context.close();
  });
});
