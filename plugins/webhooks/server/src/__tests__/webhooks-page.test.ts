/**
 * The Webhooks page in Debian's Chromium, through the real admin (built, and served by a second cms
 * on the run's database); workers in this process deliver to a local receiver that verifies with
 * `standardwebhooks` the secret the page showed.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { startWorkerPool, until } from '../../../../../workers/src/__tests__/pool';
import { nextPath, webhookHarness, type WebhookHarness } from './harness';

const POLL = { timeout: 15_000 };

describe('the Webhooks page', () => {
  let h: WebhookHarness;
  let adminUrl: string;
  let browser: Browser;
  let pool: ReturnType<typeof startWorkerPool>;

  beforeAll(async () => {
    // Before the admin's cms starts, so it reads the receiver's allowlisting and the short schedule.
    h = await webhookHarness();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    pool = startWorkerPool({ strapi: h.strapi, providers: providersFromEnv({}), names: ['webhook.deliver'] });
  }, 600_000);
  afterAll(async () => {
    await pool?.stop();
    await browser?.close();
    await h?.restore();
  });

  async function accessibilityProblems(page: Page) {
    // The pointer off the button it just clicked: axe would measure that button's hover colour mid-transition.
    await page.mouse.move(0, 0);
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  }
  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  it('creates a subscription, shows its secret once, sends a test event it verifies, and redelivers a failed one', async () => {
    const path = nextPath();
    const url = h.receiver.url(path);
    const page = await openPage();
    try {
      await logIn(page, adminUrl, await createAdminUser(h.strapi));
      await page.getByRole('navigation').getByRole('link', { name: 'Partner webhooks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Partner webhooks' }).waitFor();

      // A private address is refused, naming the field.
      const form = page.getByRole('form', { name: 'New subscription' });
      await form.getByLabel('Endpoint URL').fill('http://10.0.0.1/hook');
      await form.getByRole('checkbox', { name: 'webhook.test' }).click();
      await form.getByRole('button', { name: 'Create subscription' }).click();
      await page.getByText(/url: The endpoint URL points at a private or reserved address/).first().waitFor();

      await form.getByLabel('Endpoint URL').fill(url);
      await form.getByLabel('Owner email').fill('ops@partner.test');
      await form.getByRole('button', { name: 'Create subscription' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Signing secret' });
      const secret = (await dialog.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);
      expect(await accessibilityProblems(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'I have copied it' }).click();
      h.receiver.trust(path, secret);

      const row = page.getByRole('row').filter({ hasText: url });
      await row.getByText('Active').waitFor();
      expect(await page.content()).not.toContain(secret);

      await row.getByRole('button', { name: 'Send test event' }).click();
      const [first] = await h.receiver.waitFor(path, 1);
      expect(first.verifiedWith).toEqual([secret]);
      expect(JSON.parse(first.body).type).toBe('webhook.test');

      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.getByRole('region', { name: `Deliveries to ${url}` });
      const delivery = log.getByRole('row').filter({ hasText: first.id });
      await delivery.getByText('succeeded').waitFor(POLL);
      expect(await delivery.textContent()).toContain('204');

      // A delivery that fails for good, found with the outcome filter and sent again.
      h.receiver.answerAlways(path, { status: 500, body: 'partner down' });
      await row.getByRole('button', { name: 'Send test event' }).click();
      const subscriptionId = Number(await row.getAttribute('data-subscription-id'));
      await until(async () => (await h.deliveries(subscriptionId)).some((d: { state: string }) => d.state === 'failed'), 20_000, 'a failed delivery');
      await log.getByRole('combobox', { name: 'Outcome' }).click();
      await page.getByRole('option', { name: 'failed' }).click();
      const failed = log.getByRole('row').filter({ hasText: 'partner down' });
      await failed.getByText('failed', { exact: true }).waitFor(POLL);
      const failedId = (await h.deliveries(subscriptionId)).find((d: { state: string }) => d.state === 'failed').message_id as string;
      h.receiver.answerAlways(path, null);
      await failed.getByRole('button', { name: 'Redeliver' }).click();
      await until(() => h.receiver.at(path).filter((d) => d.id === failedId && d.at > 0).length === 5, 20_000, 'redelivered');
      expect(h.receiver.at(path).at(-1)).toMatchObject({ id: failedId, verifiedWith: [secret] });
      await screenshot(page, 'webhooks-page');
    } catch (error) {
      await screenshot(page, 'webhooks-page-error').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });

  it('shows an editor without the Webhooks permissions no Webhooks page', async () => {
    const page = await openPage();
    try {
      await logIn(page, adminUrl, await createAdminUser(h.strapi, ROLES.editor));
      await page.getByRole('navigation').waitFor();
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Partner webhooks' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
