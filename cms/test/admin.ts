/**
 * The admin panel for browser tests. The shared in-process app (strapi.ts) does not serve it, so
 * the built panel is served by a second cms process (`strapi start`) on the run's own database and
 * Redis, started by the first file that asks and shared by the rest of the run (a start costs 10 to
 * 20 s; a dozen files ask). Plus admin users and signing in through the real login form.
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

let running: { env: string; cms: Promise<CmsProcess> } | undefined;

/**
 * The admin-serving cms's URL. The first call builds the panel when its sources changed
 * (`strapi build`, minutes) and starts the process; later calls, from any file, share it. The cms
 * runs with this process's environment plus `env` (two-factor required for a role): a call whose
 * environment differs from the running one's (a file that set a backup bucket, or allowed a
 * webhook receiver) stops it and starts one with its own. It is killed when the test process exits.
 */
export async function startAdminCms(env: Record<string, string> = {}): Promise<string> {
  const settings = JSON.stringify(
    Object.entries({ ...process.env, ...env })
      .filter(([name]) => !name.startsWith('VITEST'))
      .sort(([a], [b]) => a.localeCompare(b))
  );
  if (running && running.env !== settings) {
    await (await running.cms.catch(() => undefined))?.stop();
    running = undefined;
  }
  if (!running) {
    // One that fails to start or dies later (a crash) is started again by the next file that asks.
    const forget = () => {
      if (running === started) running = undefined;
    };
    const started = { env: settings, cms: startAdminProcess(env, forget) };
    running = started;
    started.cms.catch(forget);
  }
  return (await running.cms).url;
}

async function startAdminProcess(env: Record<string, string>, onExit: () => void): Promise<CmsProcess> {
  await buildAdmin();
  const cms = await startCms({ ...env, SERVE_ADMIN: 'true' }, await freePort());
  const kill = () => cms.process.kill('SIGKILL');
  process.once('exit', kill);
  cms.process.once('exit', () => {
    process.off('exit', kill);
    onExit();
  });
  return cms;
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
