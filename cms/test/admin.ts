/**
 * The admin panel for browser tests. The shared in-process app (strapi.ts) does not serve it, so
 * the built panel is served by a second cms process (`strapi start`) on the run's own database and
 * Redis, started once per run. Plus admin users and signing in through the real login form.
 */
import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/lib/build';
import { startCms, type CmsProcess } from '../../scripts/lib/cms-process';
import { freePort } from '../../scripts/lib/ports';
import { http } from './strapi';

export type AdminUser = { id: number; email: string; password: string };

/** Strapi's own role codes. */
export const ROLES = { superAdmin: 'strapi-super-admin', editor: 'strapi-editor' } as const;

let starting: Promise<CmsProcess> | undefined;

/**
 * The admin-serving cms's URL. The first call builds the panel when its sources changed
 * (`strapi build`, minutes) and starts the process; later calls share it until `stopAdminCms`.
 */
export async function startAdminCms(): Promise<string> {
  starting ??= (async () => {
    await buildAdmin();
    const cms = await startCms({ SERVE_ADMIN: 'true' }, await freePort());
    // A test process that dies without its afterAll must not leave the cms running.
    const kill = () => cms.process.kill('SIGKILL');
    process.once('exit', kill);
    cms.process.once('exit', () => process.off('exit', kill));
    return cms;
  })();
  return (await starting).url;
}

/** Stops the admin-serving cms (for a file's afterAll); the next `startAdminCms` starts a new one. */
export async function stopAdminCms() {
  const cms = starting;
  starting = undefined;
  await (await cms?.catch(() => undefined))?.stop();
}

const RUN = Date.now().toString(36);
let sequence = 0;

/** A new admin with one of Strapi's roles (a super admin unless told), and a unique email. */
export async function createAdminUser(strapi: Core.Strapi, roleCode: string = ROLES.superAdmin): Promise<AdminUser> {
  sequence += 1;
  const email = `admin-${RUN}-${sequence}@ovation.test`;
  // Strapi's password rules: eight characters or more, upper and lower case, a digit.
  const password = `Test-${crypto.randomBytes(6).toString('hex')}-9`;
  const role = await strapi.service('admin::role').findOne({ code: roleCode });
  if (!role) throw new Error(`No admin role ${roleCode}`);
  const user = await strapi
    .service('admin::user')
    .create({ email, password, firstname: 'Test', lastname: `Admin ${sequence}`, isActive: true, roles: [role.id] });
  return { id: user.id, email, password };
}

/** An admin session token for API calls (supertest against the in-process app). */
export async function adminToken(user: AdminUser): Promise<string> {
  const login = await (await http()).post('/admin/login').send({ email: user.email, password: user.password }).expect(200);
  return login.body.data.token as string;
}

/** Signs in through the admin's login page, as a person would, and waits for the home page. */
export async function logIn(page: Page, adminUrl: string, user: AdminUser) {
  await page.goto(`${adminUrl}/admin/auth/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel(/^Password/).fill(user.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
}
