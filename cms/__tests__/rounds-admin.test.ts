/**
 * An editor builds an event's rounds in the Content Manager, in Debian's Chromium through the real
 * admin (built, and served by a second cms on the run's database): a new round is saved with its
 * event and state, and an existing round opens with its state filled in and saves again.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, ROLES, startAdminCms } from '../test/admin';
import { bootStrapi } from '../test/strapi';
import { launchChromium, screenshot } from '../../site/test/browser';

const RUN = Date.now().toString(36);
const ROUNDS = '/admin/content-manager/collection-types/api::round.round';

describe('rounds in the Content Manager', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;
  let event: { documentId: string; title: string };

  beforeAll(async () => {
    strapi = await bootStrapi();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    const title = `Round builder night ${RUN}`;
    event = await strapi.documents('api::event.event').create({
      locale: 'en',
      status: 'published',
      data: { title, slug: `round-builder-${RUN}`, starts_at: new Date(Date.now() + 86_400_000), timezone: 'Europe/Madrid' } as never,
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  const roundRow = (where: Record<string, unknown>) =>
    strapi.db.connection('rounds').where(where).first('document_id', 'number', 'title', 'title_es', 'state', 'event_ref');

  /** An editor (Strapi's Editor role, not a super admin), signed in through the login page. */
  async function editorPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await logIn(page, adminUrl, await createAdminUser(strapi, ROLES.editor));
    return page;
  }

  async function save(page: Page) {
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved document').waitFor();
  }

  it('creates a round for an event, with its title in Spanish', async () => {
    const page = await editorPage();
    try {
      await page.goto(`${adminUrl}${ROUNDS}/create`);
      await page.getByLabel(/^number/i).fill('1');
      await page.getByLabel('Title', { exact: true }).fill('Opening vote');
      await page.getByLabel('Title in Spanish').fill('Votación inicial');
      // A new round is pending; it opens from Voting or on schedule, not by editing this field.
      await expect.poll(() => page.getByRole('combobox', { name: /^state/i }).textContent()).toContain('pending');
      expect(await page.getByRole('combobox', { name: /^state/i }).isDisabled()).toBe(true);
      await page.getByRole('combobox', { name: /^event/i }).click();
      await page.getByRole('combobox', { name: /^event/i }).fill(event.title);
      await page.getByRole('option', { name: new RegExp(event.title) }).click();
      await save(page);
      await screenshot(page, 'cms-round-created');

      expect(await roundRow({ event_ref: event.documentId, number: 1 })).toMatchObject({
        title: 'Opening vote',
        title_es: 'Votación inicial',
        state: 'pending',
        event_ref: event.documentId,
      });
    } catch (error) {
      await screenshot(page, 'cms-round-create-error').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });

  it('opens an existing round with its state and saves an edit', async () => {
    const round = await strapi.documents('api::round.round').create({
      data: { event: event.documentId, number: 2, title: 'Encore', state: 'open' } as never,
    });
    const page = await editorPage();
    try {
      await page.goto(`${adminUrl}${ROUNDS}/${round.documentId}`);
      await expect.poll(() => page.getByRole('combobox', { name: /^state/i }).textContent()).toContain('open');
      await page.getByLabel('Title', { exact: true }).fill('Encore vote');
      await save(page);

      expect(await roundRow({ document_id: round.documentId })).toMatchObject({ title: 'Encore vote', state: 'open', number: 2 });
    } catch (error) {
      await screenshot(page, 'cms-round-edit-error').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });
});
