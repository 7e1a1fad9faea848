/**
 * Settings › API token budgets in Debian's Chromium through the real admin (a second cms on the run's
 * database): a token's requests and budget, a budget of its own set in a dialog, and a rotation that
 * shows the new value once while the previous one keeps working.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { BUDGETS_TABLE } from '../tokens/schema';

describe.runIf(process.env.DATABASE_URL)('the API token budgets page', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    strapi = await bootStrapi();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a token’s use, sets a budget of its own, and rotates it with the previous value still working', async () => {
    const name = `partner-page-${Date.now().toString(36)}`;
    const { id, accessKey } = await strapi.service('admin::api-token').create({ name, type: 'read-only', lifespan: null });
    const read = async (key: string) => (await (await http()).get('/api/events?pagination[pageSize]=1').set({ Authorization: `Bearer ${key}` })).status;
    for (let n = 0; n < 3; n += 1) expect(await read(accessKey)).toBe(200);
    await strapi.plugin('ops').service('tokens').flush();

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await logIn(page, adminUrl, await createAdminUser(strapi));
      await page.goto(`${adminUrl}/admin/settings`);
      await page.getByRole('link', { name: 'API token budgets' }).click();
      await page.getByRole('heading', { level: 1, name: 'API token budgets' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.getByText('Default', { exact: true }).waitFor();
      // Today, 7 days, 30 days: the three requests made above.
      await expect.poll(async () => (await row.getByRole('gridcell').allTextContents()).slice(2, 5)).toEqual(['3', '3', '3']);
      const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      await screenshot(page, 'ops-tokens');

      await row.getByRole('button', { name: 'Budget' }).click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByRole('checkbox').click();
      await dialog.getByRole('textbox', { name: 'Requests a minute' }).fill('50');
      await dialog.getByRole('button', { name: 'Save budget' }).click();
      await row.getByText('50', { exact: true }).waitFor();
      expect(await row.getByText('Default', { exact: true }).count()).toBe(0);
      expect((await strapi.db.connection(BUDGETS_TABLE).where({ token_id: id }).first()).per_minute).toBe(50);

      await row.getByRole('button', { name: 'Rotate' }).click();
      await dialog.getByRole('button', { name: 'Rotate' }).click();
      const value = dialog.getByLabel('New token');
      await value.waitFor();
      const rotated = await value.inputValue();
      expect(rotated).toMatch(/^[0-9a-f]{256}$/);
      await dialog.getByText(/The previous value works until/).waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await row.getByText(/Previous value works until/).waitFor();
      expect(await read(accessKey)).toBe(200);
      expect(await read(rotated)).toBe(200);
    } catch (error) {
      await screenshot(page, 'ops-tokens-error').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });
});
