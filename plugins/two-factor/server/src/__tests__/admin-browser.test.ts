/**
 * The admin's two-factor screens in Debian's Chromium, through the real admin (a second cms serving
 * the built panel): enrol from Settings by reading the secret off the page
 * and typing a computed code, keep the recovery codes; then sign in with the password and a code
 * (no refresh cookie until the code is accepted), and with a recovery code; an admin whose role
 * requires two-factor (Author here, by TWO_FACTOR_REQUIRED_ROLES) is sent to enrolment after the password.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, ROLES, startAdminCms, type AdminUser } from '../../../../../cms/test/admin';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { codeFor, stepNow } from './people';

const COOKIE = 'strapi_admin_refresh';

describe('two-factor in the admin', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    strapi = await bootStrapi();
    // An admin cms with Authors required to use two-factor (the next file's starts without).
    [adminUrl, browser] = await Promise.all([startAdminCms({ TWO_FACTOR_REQUIRED_ROLES: 'strapi-author' }), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  const refreshCookies = async (context: BrowserContext) => (await context.cookies()).filter((cookie) => cookie.name === COOKIE);

  async function signInWith(admin: AdminUser, code: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${adminUrl}/admin/auth/login`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Two-factor sign-in' }).isVisible(), { timeout: 30_000 }).toBe(true);
    // The password was right, and still no session: no refresh cookie, still on the login page.
    expect(await refreshCookies(context)).toEqual([]);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/auth\/login/);
    await page.getByLabel(/^Code/).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'), { timeout: 30_000 });
    expect(await refreshCookies(context)).toHaveLength(1);
    return { context, page };
  }

  it('enrols from Settings with a code computed from the secret on the page, then signs in with password and code, and with a recovery code', async () => {
    const admin = await createAdminUser(strapi, ROLES.editor);
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, adminUrl, admin);
    await page.goto(`${adminUrl}/admin/settings/two-factor`);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secretField = page.getByTestId('two-factor-secret');
    await expect.poll(() => secretField.inputValue(), { timeout: 30_000 }).toMatch(/^[A-Z2-7]{32}$/);
    const secret = await secretField.inputValue();
    // The QR code is drawn in the page, from a data: URL (nothing fetched from a third party).
    expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await page.getByLabel(/^Code from the app/).fill(await codeFor(secret, stepNow()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 30_000 }).toBe(10);
    const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((text) => text.trim());
    expect(new Set(recoveryCodes).size).toBe(10);
    await page.getByRole('button', { name: 'I have kept them' }).click();
    await expect.poll(() => page.getByText('Two-factor sign-in is on').isVisible(), { timeout: 30_000 }).toBe(true);
    await context.close();

    const withCode = await signInWith(admin, await codeFor(secret, stepNow() + 1));
    await screenshot(withCode.page, 'two-factor-signed-in');
    await withCode.context.close();

    const withRecovery = await signInWith(admin, recoveryCodes[0]);
    await withRecovery.context.close();
  }, 300_000);

  it('keeps the code screen open with the reason after a wrong code', async () => {
    const admin = await createAdminUser(strapi, ROLES.editor);
    const token = (await (await fetch(`${adminUrl}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) })).json()).data.token;
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const { secret } = (await (await fetch(`${adminUrl}/two-factor/me/enrol`, { method: 'POST', headers: auth, body: '{}' })).json()).data;
    await fetch(`${adminUrl}/two-factor/me/confirm`, { method: 'POST', headers: auth, body: JSON.stringify({ code: await codeFor(secret, stepNow()) }) });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${adminUrl}/admin/auth/login`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.getByLabel(/^Code/).fill(await codeFor(secret, stepNow() - 4));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByText('Invalid code').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await refreshCookies(context)).toEqual([]);
    await context.close();
  }, 120_000);

  it('sends an admin whose role requires two-factor to enrolment right after the password, and into the admin only after its first code', async () => {
    const author = await createAdminUser(strapi, 'strapi-author');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${adminUrl}/admin/auth/login`);
    await page.getByLabel('Email').fill(author.email);
    await page.getByLabel(/^Password/).fill(author.password);
    await page.getByRole('button', { name: 'Login' }).click();
    const secretField = page.getByTestId('two-factor-secret');
    await expect.poll(() => secretField.inputValue().catch(() => ''), { timeout: 30_000 }).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).isVisible()).toBe(true);
    expect(await refreshCookies(context)).toEqual([]);
    await page.getByLabel(/^Code from the app/).fill(await codeFor(await secretField.inputValue(), stepNow()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 30_000 }).toBe(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'), { timeout: 30_000 });
    expect(await refreshCookies(context)).toHaveLength(1);
    await context.close();
  }, 120_000);
});
