/**
 * The fan page in Debian's Chromium, through the real admin (built, and served by a second cms on the
 * run's database): a Marketing user sees a fan's history with the number and email masked and no way
 * to reveal them, and tags the fan; a user with reveal and export sees them (the reveal audited), downloads the export
 * and erases the fan, by keyboard.
 */
import fs from 'fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { MARKETING_ROLE, crmHarness, type CrmHarness } from './harness';
import { PRIVACY_ROLE, joinedFan, privacyRole } from './privacy-harness';

describe('the fan page', () => {
  let h: CrmHarness;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await crmHarness();
    await privacyRole(h);
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
  });

  const openFanPage = async (role: string) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await logIn(page, adminUrl, await createAdminUser(h.strapi, role));
    await page.getByRole('navigation').getByRole('link', { name: 'Fans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fans' }).waitFor();
    return { context, page };
  };
  const search = async (page: Page, query: string) => {
    await page.getByLabel('Phone number or email').fill(query);
    await page.getByLabel('Phone number or email').press('Enter');
  };
  const axe = async (page: Page) => {
    await page.mouse.move(0, 0);
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  };

  it('shows a Marketing user the fan’s history with their number and email masked, and nothing to reveal them', async () => {
    const fan = await joinedFan(h);
    const { context, page } = await openFanPage(MARKETING_ROLE);
    await search(page, 'nobody@example.test');
    await page.getByRole('status').filter({ hasText: 'No fan has this number or email.' }).waitFor();
    await search(page, fan.phone);
    await page.getByRole('heading', { name: `Fan ${fan.documentId}` }).waitFor();
    await page.getByText(fan.masked).waitFor();
    await page.getByRole('region', { name: 'Consent history' }).getByText('marketing_sms', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Votes' }).getByText('2', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Events attended' }).getByText(/^Test event/).waitFor();
    await page.getByRole('region', { name: 'Messages sent' }).getByText('queued', { exact: true }).first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain(fan.phone);
    expect(text).not.toContain(fan.email);
    expect(await page.getByRole('button', { name: 'Reveal phone and email' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Export their data' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Exports' }).count()).toBe(0);

    // Tags, which segments pick fans by: added by keyboard, removed by their button, saved at once.
    const tags = async () => JSON.parse((await h.strapi.db.connection('fans').where({ id: fan.id }).first('tags')).tags);
    await page.getByText('No tags yet.').waitFor();
    await page.getByLabel('New tag').fill('front-row');
    await page.getByLabel('New tag').press('Enter');
    await page.getByRole('list', { name: 'Tags' }).getByText('front-row', { exact: true }).waitFor();
    await page.getByLabel('New tag').fill('vip');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('list', { name: 'Tags' }).getByText('vip', { exact: true }).waitFor();
    expect(await tags()).toEqual(['front-row', 'vip']);
    await axe(page);
    await screenshot(page, 'crm-fan-tags');
    await page.getByRole('button', { name: 'Remove tag front-row' }).click();
    await page.getByRole('list', { name: 'Tags' }).getByText('front-row', { exact: true }).waitFor({ state: 'detached' });
    expect(await tags()).toEqual(['vip']);
    await context.close();
  });

  it('reveals (audited), exports and erases for a user with those permissions, by keyboard', async () => {
    const fan = await joinedFan(h);
    const { context, page } = await openFanPage(PRIVACY_ROLE);
    await search(page, fan.email.toUpperCase());
    await page.getByRole('heading', { name: `Fan ${fan.documentId}` }).waitFor();
    const reveals = async () => Number((await h.strapi.db.connection('audit_trail_entries').where({ action: 'crm.fan.reveal', document_id: fan.documentId }).count({ n: '*' }).first())?.n);
    expect(await reveals()).toBe(0);
    await page.getByRole('button', { name: 'Reveal phone and email' }).click();
    await page.getByText(fan.phone, { exact: true }).waitFor();
    await page.getByText(fan.email, { exact: true }).waitFor();
    expect(await reveals()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export their data' }).click()]);
    expect(download.suggestedFilename()).toBe(`fan-${fan.documentId}.json`);
    const exported = JSON.parse(fs.readFileSync((await download.path()) as string, 'utf8'));
    expect(exported.fan).toMatchObject({ documentId: fan.documentId, phone: fan.phone, email: fan.email });
    expect(exported.votes).toHaveLength(1);

    // The event's attendees as CSV, from the exports form.
    const exports = page.getByRole('region', { name: 'Exports' });
    await exports.getByLabel('Event (document id, optional)').fill(fan.event.eventRef);
    const [csv] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Download' }).click()]);
    expect(csv.suggestedFilename()).toBe(`attendees-${fan.event.eventRef}.csv`);
    const lines = fs.readFileSync((await csv.path()) as string, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('fan,event,event_slug,source,joined_at,language,country,phone,email');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([fan.documentId]);
    await axe(page);

    // Erasure by keyboard: the button, the fan's id typed, Tab to the confirming button.
    await page.getByRole('button', { name: 'Erase this fan' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByLabel('The fan’s id').waitFor();
    expect(await dialog.getByRole('button', { name: 'Erase for good' }).isDisabled()).toBe(true);
    await dialog.getByLabel('The fan’s id').focus();
    await page.keyboard.type(fan.documentId);
    await axe(page);
    await dialog.getByRole('button', { name: 'Erase for good' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('The fan was erased.').first().waitFor();
    expect(await h.strapi.db.connection('fans').where({ id: fan.id }).first()).toBeUndefined();
    await search(page, fan.phone);
    await page.getByRole('status').filter({ hasText: 'No fan has this number or email.' }).waitFor();
    await context.close();
  });
});
