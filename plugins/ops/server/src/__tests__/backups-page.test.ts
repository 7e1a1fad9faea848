/**
 * The Backups page and its API: a real backup of the run's database in a real S3 server (moto), shown
 * in Debian's Chromium through the real admin (served by a second cms on the run's database), with
 * Back up now and a download; and the permission.
 */
import crypto from 'crypto';
import fs from 'fs';
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, adminToken, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { startS3Server, type S3Server } from '../../../../../scripts/lib/s3-server';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { backupIdFor, createBackupService } from '@ovation/workers/backups';
import { getService } from '../utils/get-service';

const BUCKET = 'ovation-backups-page';
const POLL = { timeout: 15_000 };

describe.runIf(process.env.DATABASE_URL)('the Backups page', () => {
  let strapi: Core.Strapi;
  let s3: S3Server;
  let adminUrl: string;
  let browser: Browser;
  let backupId: string;
  let bytes: number;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    strapi = await bootStrapi();
    s3 = await startS3Server();
    await s3.createBucket(BUCKET);
    // The in-process app and the admin-serving cms (started below) read these.
    const env = { ...s3.env('unused'), S3_BUCKET: undefined, BACKUP_S3_BUCKET: BUCKET, BACKUP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await getService(strapi, 'backups').shutdown();
    const backups = createBackupService();
    backupId = backupIdFor(new Date(), 'page-test');
    const { manifest } = await backups.backUp(backupId, { engine: 'postgresql', url: process.env.DATABASE_URL as string });
    bytes = manifest.object.bytes;
    backups.destroy();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    // No worker here: the jobs Back up now queued would otherwise wait for another file's workers.
    await strapi?.db.connection('ops_jobs').where('idempotency_key', 'like', 'backup.run:manual:%').delete();
    await getService(strapi, 'backups').shutdown();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await s3?.stop();
  });

  it('answers only admins with the Backups permission', async () => {
    const editor = await createAdminUser(strapi, ROLES.editor);
    const auth = { Authorization: `Bearer ${await adminToken(editor)}` };
    const api = await http();
    expect((await api.get('/ops/backups')).status).toBe(401);
    expect((await api.get('/ops/backups').set(auth)).status).toBe(403);
    expect((await api.post('/ops/backups').set(auth)).status).toBe(403);
    expect((await api.get(`/ops/backups/${backupId}/download`).set(auth)).status).toBe(403);

    const admin = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    const overview = await api.get('/ops/backups').set(admin).expect(200);
    expect(overview.body.data.health).toMatchObject({ ok: true, reason: null });
    expect(overview.body.data.backups[0]).toMatchObject({ id: backupId, status: 'verified', bytes, verification: { ok: true, mismatches: 0 } });

    const link = await api.get(`/ops/backups/${backupId}/download`).set(admin).expect(200);
    const file = await fetch(link.body.data.url);
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(bytes);
    expect((await api.get('/ops/backups/20200101T000000Z-none/download').set(admin)).status).toBe(404);
    expect((await api.get('/ops/backups/not-an-id/download').set(admin)).status).toBe(400);
  });

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  it('lists the backup as verified, downloads it, and Back up now queues a backup job', async () => {
    const page = await openPage();
    try {
      await logIn(page, adminUrl, await createAdminUser(strapi));
      await page.getByRole('navigation').getByRole('link', { name: 'Backups' }).click();
      await page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
      await page.getByText('Backups are healthy.').waitFor();
      const row = page.getByRole('row').filter({ hasText: backupId });
      await row.getByText('Verified', { exact: true }).waitFor();
      const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      await screenshot(page, 'ops-backups');

      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: `Download backup ${backupId}` }).click()]);
      // A signed link to the encrypted dump (moto ignores the file name the link asks S3 to give it).
      expect(download.url()).toContain(`/${BUCKET}/backups/${backupId}/dump.enc?`);
      expect(download.url()).toContain('X-Amz-Signature=');
      expect(fs.statSync(await download.path()).size).toBe(bytes);

      const before = Number((await strapi.db.connection('ops_jobs').where({ name: 'backup.run' }).count({ n: '*' }).first())?.n);
      await page.getByRole('button', { name: 'Back up now' }).click();
      const queued = page.getByText(/Backup \d{8}T\d{6}Z-admin-[0-9a-f]{6} is queued/);
      await queued.waitFor();
      await expect.poll(async () => Number((await strapi.db.connection('ops_jobs').where({ name: 'backup.run' }).count({ n: '*' }).first())?.n), POLL).toBe(before + 1);
      // Who asked is in the audit trail, with the job it queued.
      const requested = /Backup (\S+) is queued/.exec((await queued.textContent()) ?? '')![1];
      const audited = await strapi.db.connection('audit_trail_entries').where({ action: 'backup.request', document_id: requested });
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ actor_kind: 'admin', origin: 'admin', content_type: 'backup', outcome: 'success' });
      // The queued job shows on the page, under way.
      await page.getByRole('heading', { name: 'Backups under way or failed' }).waitFor({ timeout: POLL.timeout });
    } catch (error) {
      await screenshot(page, 'ops-backups-error').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });
});
