/**
 * The event's live-voting page in the admin, in Debian's Chromium (the built admin, served by a second
 * cms on the run's database): "Open screen view" opens the site's big screen in a new tab, and each
 * round that has opened has a link that pins the screen to it.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { createVotingEvent } from './fixtures';

describe('the screen view links on an event’s live-voting page', () => {
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

  it('an editor opens the screen view, or pins it to a round', async () => {
    const event = await createVotingEvent(strapi);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await logIn(page, adminUrl, await createAdminUser(strapi));
      await page.goto(`${adminUrl}/admin/plugins/sms-voting/${event.eventRef}`);
      const open = page.getByRole('link', { name: 'Open screen view' });
      await open.waitFor();
      const screen = `${process.env.SITE_URL}/events/${event.slug}/screen`;
      expect(await open.getAttribute('href')).toBe(screen);
      expect(await open.getAttribute('target')).toBe('_blank');
      expect(await page.getByRole('link', { name: 'Screen: round 1' }).getAttribute('href')).toBe(`${screen}?round=1`);
      const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      await screenshot(page, 'sms-voting-screen-links');
    } catch (error) {
      await screenshot(page, 'sms-voting-screen-links-error').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });
});
