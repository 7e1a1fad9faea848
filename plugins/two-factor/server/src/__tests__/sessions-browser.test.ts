/**
 * The admin's account pages in Debian's Chromium, through the real admin. The profile page links to
 * two-factor enrolment. *Settings → Sessions*: the
 * signed-in admin sees each of their sessions with its device and masked address, this one marked,
 * and signs another one out; that session's token is refused at once. *Settings → Two-factor
 * sign-in*, as a super admin: reset an editor's two-factor, and choose a role that must use it.
 */
import type { Core } from '@strapi/strapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { launchChromium } from '../../../../../site/test/browser';
import { codeFor, stepNow } from './people';

const FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('sessions in the admin', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    strapi = await bootStrapi();
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await strapi?.store({ type: 'plugin', name: 'two-factor' }).delete({ key: 'settings' });
  });

  it('lists the admin’s sessions with device and address, and signs another one out', async () => {
    const editor = await createAdminUser(strapi, ROLES.editor);
    // A session on another device, signed in before this one.
    const other = await fetch(`${adminUrl}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': FIREFOX }, body: JSON.stringify({ email: editor.email, password: editor.password }) });
    expect(other.status).toBe(200);
    const otherToken = ((await other.json()) as { data: { token: string } }).data.token;
    const meWith = async (token: string) => (await fetch(`${adminUrl}/admin/users/me`, { headers: { Authorization: `Bearer ${token}` } })).status;
    expect(await meWith(otherToken)).toBe(200);

    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, adminUrl, editor);

    // The profile page leads to two-factor enrolment.
    await page.goto(`${adminUrl}/admin/me`);
    const enrolLink = page.getByRole('link', { name: 'Set up or manage two-factor sign-in' });
    await expect.poll(() => enrolLink.count(), { timeout: 30_000 }).toBe(1);
    await enrolLink.click();
    await page.waitForURL((url) => url.pathname === '/admin/settings/two-factor', { timeout: 30_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Set up two-factor sign-in' }).count(), { timeout: 30_000 }).toBe(1);

    await page.goto(`${adminUrl}/admin/settings/account-sessions`);
    await expect.poll(() => page.getByTestId('session-row').count(), { timeout: 30_000 }).toBe(2);
    const current = page.getByTestId('session-row').filter({ hasText: 'This session' });
    await expect.poll(() => current.count()).toBe(1);
    const firefox = page.getByTestId('session-row').filter({ hasText: 'Firefox' });
    expect(await firefox.count()).toBe(1);
    expect(await firefox.innerText()).toMatch(/127\.0\.0\.x/);
    expect(await page.content()).not.toMatch(/127\.0\.0\.1/);

    await firefox.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByTestId('session-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await meWith(otherToken)).toBe(401);
    // This session goes on.
    await page.reload();
    await expect.poll(() => page.getByTestId('session-row').filter({ hasText: 'This session' }).count(), { timeout: 30_000 }).toBe(1);
    await context.close();
  });

  it('lets a super admin reset an editor’s two-factor and choose a role that must use it, on the two-factor page', async () => {
    const RUN = Date.now().toString(36);
    const superAdmin = await createAdminUser(strapi, ROLES.superAdmin);
    const editor = await createAdminUser(strapi, ROLES.editor);
    const owner = { kind: 'admin' as const, id: editor.id };
    const factors = strapi.plugin('two-factor').service('factors');
    const { secret } = await factors.begin(owner, editor.email);
    await factors.confirm(owner, await codeFor(secret, stepNow() - 1));
    const role = await strapi.service('admin::role').create({ name: `Late desk ${RUN}`, code: `late-desk-${RUN}`, description: 'Test role' });

    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, adminUrl, superAdmin);
    await page.goto(`${adminUrl}/admin/settings/two-factor`);
    const row = page.getByTestId('two-factor-admin').filter({ hasText: editor.email });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.innerText()).toMatch(/On/);
    await row.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Two-factor sign-in reset for ${editor.email}` }).count(), { timeout: 15_000 }).toBe(1);
    expect(await factors.enrolled(owner)).toBe(false);
    expect(await row.innerText()).toMatch(/Off/);

    await page.getByRole('checkbox', { name: role.name }).click();
    await page.getByRole('button', { name: 'Save required roles' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Required roles saved' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await strapi.plugin('two-factor').service('settings').requiredRoles()).toEqual([role.code]);
    await context.close();
  });
});
