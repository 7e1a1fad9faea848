/**
 * Ovation's admin in Debian's Chromium, through the real panel (built, and served by a second cms on
 * the run's database): its mark, no Strapi announcements, and the Content Manager views an editor
 * works in. One signed-in page is shared by the tests, in order.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, logIn, startAdminCms, type AdminUser } from '../test/admin';
import { READ_ONLY_IN_ADMIN } from '../src/bootstrap/read-only-in-admin';
import { CMS_DIR } from '../test/environment';
import { nextPhoneNumber } from '../test/phones';
import { bootStrapi, http } from '../test/strapi';
import { launchChromium, screenshot } from '../../site/test/browser';

const RUN = Date.now().toString(36);
const listOf = (uid: string) => `/admin/content-manager/collection-types/${uid}`;

describe('the admin', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;
  let page: Page;
  let admin: AdminUser;
  const event = { title: `Admin views night ${RUN}`, keyword: `AV${RUN.slice(-6).toUpperCase()}` };
  const artist = `Admin views artist ${RUN}`;
  const voteCode = RUN.slice(-6).toUpperCase();
  const fanPhone = nextPhoneNumber();
  const messageKey = `admin-views:${RUN}`;
  const purpose = `admin-views ${RUN}`;

  beforeAll(async () => {
    strapi = await bootStrapi();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    admin = await createAdminUser(strapi);

    const created = await strapi.documents('api::event.event').create({
      locale: 'en',
      data: { ...event, slug: `admin-views-${RUN}`, starts_at: new Date(), timezone: 'Europe/Madrid', phase: 'scheduled' } as never,
      status: 'published',
    });
    const { documentId: artistRef } = await strapi.documents('api::artist.artist').create({
      locale: 'en',
      data: { name: artist, slug: `admin-views-artist-${RUN}` } as never,
      status: 'published',
    });
    await strapi.documents('api::lineup-entry.lineup-entry').create({ data: { event: created.documentId, artist: artistRef, vote_code: voteCode } as never });

    const outbox = strapi.service('api::message.message');
    await outbox.queue([{ idempotencyKey: messageKey, channel: 'sms', to: nextPhoneNumber(), body: 'Round 1 is open', purpose }]);
    const { id } = await strapi.db.connection('messages').where({ idempotency_key: messageKey }).first('id');
    // As the worker moves it: sending through the sandbox provider, then sent.
    await outbox.markSending(Number(id), 'sandbox', { state: 'queued', attempts: 0 });
    await outbox.markSent(Number(id), `SM-${RUN}`);
    await strapi.service('api::fan.fan').upsertByPhone(fanPhone, { language: 'en' });

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await logIn(page, adminUrl, admin);
  }, 600_000);

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(page, `admin-views-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  /**
   * Opens a type's list, searched for `search` where other test files leave entries of their own
   * (a list shows ten), and waits for a row with `rowText`; returns the column headers' texts, in
   * the cells' order.
   */
  async function openList(uid: string, rowText: string, search?: string) {
    await page.goto(`${adminUrl}${listOf(uid)}${search ? `?_q=${encodeURIComponent(search)}` : ''}`);
    await page.getByRole('row').filter({ hasText: rowText }).first().waitFor();
    return (await page.locator('thead th').allTextContents()).map((text) => text.trim());
  }

  /** What an <img> shows: its data URL decoded, or the file it points at. */
  async function imageText(src: string) {
    if (src.startsWith('data:')) return decodeURIComponent(src.slice(src.indexOf(',') + 1));
    return (await fetch(new URL(src, adminUrl))).text();
  }

  it('serves Ovation’s favicon at /favicon.ico', async () => {
    const res = await fetch(`${adminUrl}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(CMS_DIR, 'favicon.ico')))).toBe(true);
  });

  it('shows Ovation’s mark on the login page and in the menu', async () => {
    const signedOut = await browser.newPage();
    try {
      await signedOut.goto(`${adminUrl}/admin/auth/login`);
      await signedOut.getByLabel('Email').waitFor();
      const loginLogo = signedOut.getByRole('main').locator('img').first();
      expect(await imageText((await loginLogo.getAttribute('src')) as string)).toContain('<title>Ovation</title>');
    } finally {
      await signedOut.close();
    }

    await page.goto(`${adminUrl}/admin`);
    const menuLogo = page.getByRole('navigation').locator('img').first();
    expect(await imageText((await menuLogo.getAttribute('src')) as string)).toContain('<title>Ovation</title>');
  });

  it('shows no guided tour and no Strapi banner after login', async () => {
    await page.goto(`${adminUrl}/admin`);
    await page.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    // Widgets load after the heading; Strapi's banner renders with the layout, before them.
    await page.getByText('Last edited entries', { exact: false }).first().waitFor();
    expect(await page.getByText('Introducing the new Media Library').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Read blog post' }).count()).toBe(0);
    expect(await page.getByText('Discover your application!').count()).toBe(0);
    // A development build would show the tour to the first super admin; it is marked skipped.
    const tour = await page.evaluate(() => JSON.parse(window.localStorage.getItem('STRAPI_GUIDED_TOUR') ?? 'null'));
    expect(tour).toMatchObject({ enabled: false });
    await screenshot(page, 'admin-home');
  });

  it('lists events with their phase, keyword and start, and explains the time zone of the start', async () => {
    const headers = await openList('api::event.event', event.title, event.title);
    expect(headers).toEqual(expect.arrayContaining(['Title', 'Phase', 'Keyword', 'Starts at']));
    const row = page.getByRole('row').filter({ hasText: event.title });
    expect(await row.textContent()).toContain('scheduled');
    expect(await row.textContent()).toContain(event.keyword);
    await screenshot(page, 'admin-events');

    await row.getByText(event.title).click();
    await page.locator('label', { hasText: /^Starts at\*?$/ }).waitFor();
    await page.getByText('the site shows it in the event’s Time zone').first().waitFor();
    await page.locator('label', { hasText: /^Results visibility\*?$/ }).waitFor();
    // The side panels come after the form, the preview panel after its own request.
    await page.getByText('Entry', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('Set up preview').count()).toBe(0);
    await screenshot(page, 'admin-event-edit');
  });

  it('lists lineup entries by their artist’s name', async () => {
    const headers = await openList('api::lineup-entry.lineup-entry', artist, voteCode);
    expect(headers).toEqual(expect.arrayContaining(['Event', 'Artist', 'Vote code']));
    expect(await page.getByRole('row').filter({ hasText: artist }).textContent()).toContain(event.title);
  });

  it('shows a sent message as sent, and offers no way to create, edit or delete one', async () => {
    const headers = await openList('api::message.message', purpose, purpose);
    expect(headers).toEqual(expect.arrayContaining(['Status', 'Channel', 'Recipient', 'Purpose', 'Sent at', 'Error']));
    const row = page.getByRole('row').filter({ hasText: purpose });
    const cells = (await row.getByRole('gridcell').allTextContents()).map((text) => text.trim());
    expect(cells[headers.indexOf('Status')]).toBe('sent');
    expect(await page.getByText('Create new entry').count()).toBe(0);
    await screenshot(page, 'admin-messages');

    await row.getByText(purpose).click();
    const status = page.getByRole('combobox', { name: 'Status' });
    await expect.poll(() => status.textContent()).toBe('sent');
    expect(await page.getByText('Choose here').count()).toBe(0);
    for (const field of ['Channel', 'Recipient', 'Purpose', 'Sent at', 'Error']) await page.locator('label', { hasText: new RegExp(`^${field}\\*?$`) }).waitFor();
    expect(await status.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(await page.locator('label', { hasText: /hash|encrypted/i }).count()).toBe(0);
    await screenshot(page, 'admin-message-edit');

    // The Content Manager's own API refuses a super admin too, for every read-only type.
    const auth = { Authorization: `Bearer ${await adminToken(admin)}` };
    const api = (uid: string) => listOf(uid).replace('/admin', '');
    for (const uid of READ_ONLY_IN_ADMIN) expect((await (await http()).post(api(uid)).set(auth).send({})).status).toBe(403);
    const { document_id: documentId } = await strapi.db.connection('messages').where({ idempotency_key: messageKey }).first('document_id');
    const message = `${api('api::message.message')}/${documentId}`;
    expect((await (await http()).put(message).set(auth).send({ state: 'failed' })).status).toBe(403);
    expect((await (await http()).delete(message).set(auth)).status).toBe(403);
    expect(await strapi.db.connection('messages').where({ idempotency_key: messageKey }).first('state')).toEqual({ state: 'sent' });
  });

  it('lists fans by their masked phone, never the ciphertext or the hashes', async () => {
    const masked = `${fanPhone.slice(0, 3)}***${fanPhone.slice(-2)}`;
    // Newest first: the fan this file made is at the top.
    const headers = await openList('api::fan.fan', masked);
    expect(headers).toEqual(expect.arrayContaining(['Phone', 'Language', 'First seen']));
    expect(headers.join(' ')).not.toMatch(/encrypted|hash/i);
    const { phone_encrypted: ciphertext, phone_hash: hash } = await strapi.db.connection('fans').where({ phone_masked: masked }).first('phone_encrypted', 'phone_hash');
    const text = (await page.getByRole('main').textContent()) ?? '';
    expect(text).not.toContain(ciphertext.slice(0, 12));
    expect(text).not.toContain(hash.slice(0, 12));
    expect(await page.getByText('Create new entry').count()).toBe(0);
    await screenshot(page, 'admin-fans');
  });
});
