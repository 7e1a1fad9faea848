/**
 * The Jobs page in Debian's Chromium, through the real admin (built, and served by a second cms on
 * the run's database): the engineer on call finds a failed job with its error and retries it.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, adminToken, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { PAGE_SIZE } from '../../../admin/src/api';
import { getService } from '../utils/get-service';

const ERROR = 'Twilio refused the message: test';
// Longer than the page's 3 s poll: what the page shows after an action may wait for the next one.
const POLL = { timeout: 10_000 };
const RUN = Date.now().toString(36);
let sequence = 0;

describe('the Jobs page', () => {
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

  /** A round.notify job that failed after its fourth attempt. */
  async function failedJob() {
    sequence += 1;
    const roundRef = `jobs-page-${RUN}-${sequence}`;
    const key = `round.notify:${roundRef}`;
    const { id } = await getService(strapi, 'jobs').enqueue('round.notify', { roundRef }, { key });
    if (!id) throw new Error(`job ${key} already existed`);
    await strapi.db.connection.raw(`UPDATE ops_jobs SET state = 'failed', attempts = 4, last_error = ?, finished_at = ? WHERE id = ?`, [ERROR, new Date(), id]);
    const { max_attempts: maxAttempts } = await strapi.db.connection('ops_jobs').where({ id }).first('max_attempts');
    return { id, key, maxAttempts: Number(maxAttempts) };
  }

  const jobRow = (id: number) => strapi.db.connection('ops_jobs').where({ id }).first('state', 'attempts');
  const failedCount = async (name: string) =>
    Number((await strapi.db.connection('ops_jobs').where({ name, state: 'failed' }).count({ count: '*' }).first())?.count ?? 0);

  /** axe-core's WCAG 2.1 A and AA rules on the page's own content (Strapi's menu is not ours to fix). */
  async function accessibilityProblems(page: Page) {
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('; ')}`);
  }

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  it('shows a failed job with its error, and Retry puts it back in the queue', async () => {
    const job = await failedJob();
    const page = await openPage();
    try {
      await logIn(page, adminUrl, await createAdminUser(strapi));
      await page.getByRole('navigation').getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();

      const counts = page.getByRole('region', { name: 'Jobs by state' });
      const notifyCounts = counts.getByRole('row').filter({ has: page.getByRole('gridcell', { name: 'round.notify', exact: true }) });
      // Columns: job, queued, running, done, failed, dead.
      const failedCell = notifyCounts.getByRole('gridcell').nth(4);
      expect(await failedCell.textContent()).toBe(String(await failedCount('round.notify')));

      await page.getByRole('combobox', { name: 'Job' }).click();
      await page.getByRole('option', { name: 'round.notify' }).click();
      const row = page.getByRole('row').filter({ hasText: job.key });
      await row.getByText(ERROR).waitFor();
      expect(await row.textContent()).toContain('Failed');
      expect(await row.textContent()).toContain(`4 of ${job.maxAttempts}`);
      expect(await accessibilityProblems(page)).toEqual([]);

      await screenshot(page, 'ops-jobs-failed');

      await row.getByRole('button', { name: `Retry job ${job.id}` }).click();
      const dialog = page.getByRole('alertdialog', { name: `Retry job ${job.id}?` });
      await dialog.getByRole('button', { name: 'Retry now' }).click();

      await expect.poll(() => jobRow(job.id), POLL).toEqual({ state: 'queued', attempts: 0 });
      await row.getByText('Queued', { exact: true }).waitFor();
      await row.getByRole('button', { name: `Retry job ${job.id}` }).waitFor({ state: 'detached' });
      expect(await row.textContent()).toContain(`0 of ${job.maxAttempts}`);
      await expect.poll(async () => (await failedCell.textContent()) === String(await failedCount('round.notify')), POLL).toBe(true);
      expect(await accessibilityProblems(page)).toEqual([]);
      await screenshot(page, 'ops-jobs');

      // A worker finishing the job shows on the open page by itself.
      await strapi.db.connection('ops_jobs').where({ id: job.id }).update({ state: 'done', finished_at: new Date() });
      await row.getByText('Done', { exact: true }).waitFor({ timeout: POLL.timeout });
    } catch (error) {
      await screenshot(page, 'ops-jobs-error').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });

  it('shows older jobs with Load more', async () => {
    // Due tomorrow, so no worker picks them up meanwhile.
    const dueAt = new Date(Date.now() + 86_400_000);
    sequence += 1;
    await getService(strapi, 'jobs').enqueueMany(
      'round.notify',
      Array.from({ length: PAGE_SIZE + 1 }, (_, i) => ({ payload: { roundRef: `jobs-page-${RUN}-${sequence}-${i}` }, key: `round.notify:jobs-page-${RUN}-${sequence}-${i}`, dueAt }))
    );
    const queued = Number((await strapi.db.connection('ops_jobs').where({ name: 'round.notify', state: 'queued' }).count({ count: '*' }).first())?.count);

    const page = await openPage();
    try {
      await logIn(page, adminUrl, await createAdminUser(strapi));
      await page.goto(`${adminUrl}/admin/plugins/ops`);
      await page.getByRole('combobox', { name: 'Job' }).click();
      await page.getByRole('option', { name: 'round.notify' }).click();
      await page.getByRole('combobox', { name: 'State' }).click();
      await page.getByRole('option', { name: 'Queued' }).click();
      const jobRows = page.getByRole('region', { name: 'Newest jobs' }).getByRole('row');
      // One header row, then the jobs.
      await expect.poll(() => jobRows.count(), POLL).toBe(PAGE_SIZE + 1);
      await page.getByRole('button', { name: 'Load more' }).click();
      // Other test files may have left queued notifications of their own.
      await expect.poll(() => jobRows.count(), POLL).toBe(Math.min(queued, 2 * PAGE_SIZE) + 1);
      if (queued < 2 * PAGE_SIZE) await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    } finally {
      await page.context().close();
    }
  });

  it('is not there for an admin without the Background jobs permission', async () => {
    const editor = await createAdminUser(strapi, ROLES.editor);
    const auth = { Authorization: `Bearer ${await adminToken(editor)}` };
    expect((await (await http()).get('/ops/jobs/summary')).status).toBe(401);
    expect((await (await http()).get('/ops/jobs/summary').set(auth)).status).toBe(403);
    expect((await (await http()).get('/ops/jobs').set(auth)).status).toBe(403);
    const { id } = await failedJob();
    expect((await (await http()).post(`/ops/jobs/${id}/retry`).set(auth)).status).toBe(403);
    expect(await jobRow(id)).toEqual({ state: 'failed', attempts: 4 });

    const page = await openPage();
    try {
      await logIn(page, adminUrl, editor);
      await page.getByRole('navigation').getByRole('link', { name: 'Content Manager' }).waitFor();
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Jobs' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
