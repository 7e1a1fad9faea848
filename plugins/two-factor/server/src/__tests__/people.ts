/**
 * Test accounts and their authenticator: an API user with a password, the codes its app would show
 * for a given step, and a client address of each test's own (the failure limits count per address).
 */
import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { generate } from 'otplib';

const RUN = Date.now().toString(36);
let sequence = 0;
let addresses = 0;

export type ApiUser = { id: number; email: string; password: string };

/** A confirmed users-permissions user with the Authenticated role. */
export async function createApiUser(strapi: Core.Strapi): Promise<ApiUser> {
  sequence += 1;
  const email = `partner-${RUN}-${sequence}@ovation.test`;
  const password = `Pw-${crypto.randomBytes(6).toString('hex')}-9x`;
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const user = await strapi.plugin('users-permissions').service('user').add({ username: `partner-${RUN}-${sequence}`, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
  return { id: user.id, email, password };
}

/** The step now, and the code the app shows for `step` (a step either side is accepted). */
export const stepNow = () => Math.floor(Date.now() / 30_000);
export const codeFor = (secret: string, step: number) => generate({ secret, epoch: step * 30 });

/**
 * A client address of the caller's own, sent as X-Forwarded-For with the app told to trust one
 * proxy (as behind Ovation's load balancer): the per-address limits of one test do not reach another.
 */
export function newAddress() {
  addresses += 1;
  return `198.18.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

export function trustProxy(strapi: Core.Strapi) {
  const app = strapi.server.app as { proxy: boolean };
  const before = app.proxy;
  app.proxy = true;
  return () => {
    app.proxy = before;
  };
}
