/**
 * The pages a fan reaches from a marketing email's links, in Debian's Chromium with axe: the
 * sign-up's confirmation (in Spanish here) and the unsubscribe page, each a button that POSTs, the
 * outcome page after it, and the page a link that is not ours gets.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsUrl, http } from '../../../../../cms/test/strapi';
import { launchChromium } from '../../../../../site/test/browser';
import { confirmationToken, unsubscribeToken } from '../email/tokens';
import { crmHarness, type CrmHarness } from './harness';

describe('the email confirmation and unsubscribe pages', () => {
  let h: CrmHarness;
  let browser: Browser;
  let base: string;
  let publicUrl: string;
  const signingKey = () => h.strapi.config.get('plugin::crm.signingKey') as string;
  const hashEmail = (email: string) => h.strapi.service('api::fan.fan').hashEmail(email) as string;
  const consents = (email: string) => h.strapi.db.connection('consent_records').where({ subject_hash: hashEmail(email), channel: 'email', purpose: 'marketing_email' }).orderBy('id').pluck('action');

  beforeAll(async () => {
    h = await crmHarness();
    base = await cmsUrl();
    publicUrl = h.strapi.config.get('plugin::crm.publicUrl') as string;
    h.strapi.config.set('plugin::crm.publicUrl', base);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    h.strapi.config.set('plugin::crm.publicUrl', publicUrl);
    await browser?.close();
  });

  const open = async (path: string) => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const response = await page.goto(`${base}${path}`);
    return { page, status: response?.status() };
  };
  const axe = async (page: Page) => {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  };

  it('confirms a sign-up in the fan’s language, by its button, with no violations before or after', async () => {
    const email = `pages-${Date.now().toString(36)}@example.test`;
    expect((await (await http()).post('/api/crm/email/subscriptions').send({ email, language: 'es', source: 'recap-page' })).status).toBe(202);
    const signup = await h.strapi.db.connection('crm_email_confirmations').where({ email_hash: hashEmail(email) }).first('document_id', 'nonce');
    const { page, status } = await open(`/api/crm/email/confirm/${confirmationToken(signingKey(), signup.document_id, signup.nonce)}`);
    expect(status).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.getByRole('heading', { level: 1, name: 'Confirma tu email' }).waitFor();
    expect(await consents(email)).toEqual([]);
    await axe(page);

    await page.getByRole('button', { name: 'Sí, envíame noticias' }).click();
    await page.getByRole('heading', { level: 1, name: 'Te has suscrito' }).waitFor();
    expect(await consents(email)).toEqual(['opt_in']);
    await axe(page);
    await page.context().close();
  });

  it('unsubscribes by the page’s button, and shows a link that is not ours as a problem, with no violations', async () => {
    const email = `leaving-${Date.now().toString(36)}@example.test`;
    await h.strapi.service('api::fan.fan').addEmail(email, { fanRef: null, language: 'en' });
    await h.consent(email, { purpose: 'marketing_email', action: 'opt_in', channel: 'email' });
    await h.strapi.service('api::message.message').queue([{ idempotencyKey: `campaign:0:pages-${email}`, channel: 'email', to: email, subject: 'News', body: 'News', purpose: 'campaign' }]);
    const message = await h.strapi.db.connection('messages').where({ idempotency_key: `campaign:0:pages-${email}` }).first('id');

    const { page, status } = await open(`/api/crm/email/unsubscribe/${unsubscribeToken(signingKey(), Number(message.id))}`);
    expect(status).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Unsubscribe' }).waitFor();
    await axe(page);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { level: 1, name: 'You are unsubscribed' }).waitFor();
    expect(await consents(email)).toEqual(['opt_in', 'opt_out']);
    await axe(page);
    await page.context().close();

    const forged = await open(`/api/crm/email/unsubscribe/${Number(message.id)}.${'A'.repeat(43)}`);
    expect(forged.status).toBe(404);
    await forged.page.getByRole('alert').waitFor();
    await axe(forged.page);
    await forged.page.context().close();
  });
});
