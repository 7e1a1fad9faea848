/**
 * The big screen runs all night: the CMS behind the site restarted under it (a cms process of this
 * test's own, on the run's database and Redis), it says "Reconnecting…", shows votes again within
 * 10 s of the CMS answering, and is back on the live stream by itself, without a reload.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi } from '../../../cms/test/strapi';
import { startCms, type CmsProcess } from '../../../scripts/lib/cms-process';
import { freePort } from '../../../scripts/lib/ports';
import { launchChromium, screenshot } from '../../test/browser';
import { createLiveEvent, type TestEvent } from '../../test/fixtures';
import { startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';

const CMS_SETTINGS = { SERVE_ADMIN: 'false', SMS_VOTING_SCHEDULE_INTERVAL_MS: '0' };

describe('the big screen across a CMS restart', () => {
  let app: Core.Strapi;
  let cms: CmsProcess;
  let port: number;
  let site: RunningSite;
  let browser: Browser;
  let night: TestEvent;

  beforeAll(async () => {
    app = await bootStrapi();
    await seedDemo(app);
    night = await createLiveEvent(app, ['luna-vega', 'the-midnight-owls', 'dj-kairo']);
    port = await freePort();
    cms = await startCms(CMS_SETTINGS, port);
    [site, browser] = await Promise.all([startSite(cms.url, { NODE_ENV: 'production' }), launchChromium()]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await cms?.stop();
  });

  async function vote(code: string) {
    const token = votingPathIn(await textCms(cms.url, nextPhoneNumber(), night.keyword))?.split('/').pop();
    expect(token).toBeTruthy();
    const res = await fetch(`${cms.url}/api/sms-voting/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, choice: code }),
    });
    expect(res.status).toBeLessThan(300);
  }

  const votesOf = (page: Page, code: string) => page.locator(`.screen-bar[data-code="${code}"] [data-testid="screen-votes"]`).textContent();

  it('says “Reconnecting…” while the CMS is down and recovers by itself when it is back', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${site.url}/events/${night.slug}/screen`);
    await page.locator('[data-connection="live"]').waitFor();

    await cms.stop();
    await expect.poll(() => page.getByTestId('screen-status').textContent(), { timeout: 30_000 }).toBe('Reconnecting…');
    await screenshot(page, 'screen-cms-down');

    cms = await startCms(CMS_SETTINGS, port);
    const backAt = Date.now();
    await vote('3');
    await expect.poll(() => votesOf(page, '3'), { timeout: 10_000, interval: 100 }).toBe('1 vote');
    expect(Date.now() - backAt).toBeLessThan(10_000);
    // And on the live stream again, the reconnecting notice gone, all without a reload.
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('screen-status').textContent()).toBe('');
    await vote('1');
    await expect.poll(() => votesOf(page, '1'), { timeout: 3_000 }).toBe('1 vote');
    await context.close();
  });
});
