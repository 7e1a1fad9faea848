/**
 * The Audit trail page in Debian's Chromium, through the real admin (served by a second cms on the
 * run's database): entries filtered to one document, an update shown field by field before and
 * after, the link to the document, and the Verify button naming an edited entry; and who may read.
 */
import fs from 'fs';
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import type { EntryRow } from '../utils/entry';
import { ENTRIES_TABLE } from '../utils/schema';
import { getService } from '../utils/get-service';

const ARTIST = 'api::artist.artist';

describe('the Audit trail page', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;
  let documentId: string;
  let update: EntryRow;

  /** Runs `tamper` with the append-only trigger out of the way, as the database's owner could. */
  async function withoutTrigger(tamper: (knex: Core.Strapi['db']['connection']) => Promise<unknown>) {
    const knex = strapi.db.connection;
    if (strapi.db.dialect.client === 'postgres') {
      await knex.raw(`ALTER TABLE ${ENTRIES_TABLE} DISABLE TRIGGER audit_trail_entries_append_only`);
      try {
        await tamper(knex);
      } finally {
        await knex.raw(`ALTER TABLE ${ENTRIES_TABLE} ENABLE TRIGGER audit_trail_entries_append_only`);
      }
    } else {
      for (const event of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS audit_trail_entries_append_only_${event}`);
      try {
        await tamper(knex);
      } finally {
        await getService(strapi, 'ledger').install();
      }
    }
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    const name = `Audit page ${Date.now().toString(36)}`;
    await getService(strapi, 'actors').runAs({ kind: 'script', name: 'audit-page-test' }, async () => {
      ({ documentId } = await strapi.documents(ARTIST).create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, '-'), genre: 'Cumbia' } }));
      await strapi.documents(ARTIST).update({ documentId, data: { genre: 'Salsa' } });
    });
    update = await strapi.db.connection(ENTRIES_TABLE).where({ document_id: documentId, action: 'update' }).first();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('verifies the chain for admins who may read the trail, and for no one else', async () => {
    const api = await http();
    expect((await api.post('/audit-trail/verify')).status).toBe(401);
    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };
    expect((await api.post('/audit-trail/verify').set(editor)).status).toBe(403);
    const admin = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    const { body } = await api.post('/audit-trail/verify').set(admin).expect(200);
    expect(body.data).toMatchObject({ ok: true });
    // Every entry up to the update verified (from the oldest retained one: a retention purge may have run).
    expect(body.data.from + body.data.verified - 1).toBeGreaterThanOrEqual(Number(update.seq));
  });

  it('filters to a document, shows an update before and after, links to the document, exports the selection, and names an edited entry', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      const admin = await createAdminUser(strapi);
      await logIn(page, adminUrl, admin);
      await page.getByRole('navigation').getByRole('link', { name: 'Audit trail' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      await page.getByRole('button', { name: /^Show entry \d+$/ }).first().waitFor();

      await page.getByLabel('Document id').fill(documentId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.first().getAttribute('data-seq')).toBe(String(update.seq));
      await rows.first().getByText('Script · audit-page-test').waitFor();
      // Away from the button just pressed: its hover shade is Strapi's own.
      await page.mouse.move(0, 0);
      const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((node) => node.html).join(' ')})`)).toEqual([]);

      // The document opens in the Content Manager from its entry.
      const link = rows.first().getByRole('link', { name: `Open document ${documentId}` });
      expect(await link.getAttribute('href')).toContain(`/admin/content-manager/collection-types/${ARTIST}/${documentId}`);

      await page.getByRole('button', { name: `Show entry ${update.seq}` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`Entry ${update.seq}: update`).waitFor();
      const genre = dialog.locator('tr[data-field="draft.genre"]');
      await expect.poll(async () => (await genre.locator('td').allTextContents()).map((text) => text.trim())).toEqual(['draft.genre', 'Cumbia', 'Salsa']);
      await dialog.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)));
      await screenshot(page, 'audit-trail-entry');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      // The filtered entries as a CSV file, and the export recorded as this admin's.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(csv.suggestedFilename()).toMatch(/^audit-trail-through-\d+\.csv$/);
      const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
      expect(lines).toHaveLength(3);
      expect(lines.slice(1).every((line) => line.includes(documentId))).toBe(true);
      const exported = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'audit.export', actor_kind: 'admin', actor_id: String(admin.id) });
      expect(exported).toHaveLength(1);
      expect(JSON.parse(exported[0].diff).after).toMatchObject({ format: 'csv', filters: { documentId } });

      await page.getByRole('button', { name: 'Verify the chain' }).click();
      await page.getByText(/^Verified at .*: [\d,]+ entries, unchanged, in order, none missing\.$/).waitFor();

      // Someone with the database owner's rights edits the update's entry: Verify names it.
      await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: update.seq }).update({ diff: update.diff.replace('Salsa', 'Tango') }));
      try {
        await page.getByRole('button', { name: 'Verify the chain' }).click();
        await page.getByRole('alert').getByText(new RegExp(`^The chain breaks at entry ${update.seq} \\(edited\\)`)).waitFor();
        await screenshot(page, 'audit-trail-broken');
      } finally {
        await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: update.seq }).update({ diff: update.diff }));
      }
    } catch (error) {
      await screenshot(page, 'audit-trail-error').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });
});
