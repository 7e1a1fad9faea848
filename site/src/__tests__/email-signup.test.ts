/**
 * The "Get news by email" form on vote and recap pages (en and es), over HTTP against the real cms:
 * it shows the consent wording the cms records, a post asks the cms for a confirmation email tied to
 * the voting link's fan (or to no one yet, on a recap page), and the fan is told how it went.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { EMAIL_CONSENT_TEXT } from '@ovation/plugin-crm/contracts';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';

const RUN = Date.now().toString(36);
let sequence = 0;
const address = () => `site-${RUN}-${(sequence += 1)}@fans.example.com`;

describe('email sign-up form', () => {
  let app: Core.Strapi;
  let site: RunningSite;
  let voteLink: string;
  let phone: string;

  beforeAll(async () => {
    app = await bootStrapi();
    const cms = await cmsUrl();
    await seedDemo(app);
    site = await startSite(cms);
    phone = nextPhoneNumber();
    voteLink = votingPathIn(await textCms(cms, phone, 'DEMO'))!;
  });
  afterAll(async () => {
    await site?.stop();
  });

  const page = async (path: string) => (await fetch(`${site.url}${path}`)).text();
  const post = (fields: Record<string, string>) =>
    fetch(`${site.url}/api/email-signup`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const signupFor = (email: string) => app.db.connection('crm_email_confirmations').where({ email_hash: app.service('api::fan.fan').hashEmail(email) }).first();

  it('on a vote page, in English and Spanish, shows the form with the consent wording the cms records', async () => {
    const token = voteLink.split('/').pop()!;
    const en = await page(voteLink);
    expect(en).toContain('Get news by email');
    expect(en).toContain('<form method="post" action="/api/email-signup">');
    expect(en).toContain(`name="token" value="${token}"`);
    expect(en).toContain(EMAIL_CONSENT_TEXT.en('Ovation'));
    const es = await page(`/es${voteLink}`);
    expect(es).toContain('Recibe noticias por email');
    expect(es).toContain(EMAIL_CONSENT_TEXT.es('Ovation'));
    expect(es).toContain('name="locale" value="es"');
  });

  it('a post from a vote page, after the vote, asks for a confirmation tied to the link’s fan, and tells the fan to check their inbox', async () => {
    const token = voteLink.split('/').pop()!;
    const voted = await fetch(`${await cmsUrl()}/api/sms-voting/votes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, choice: '1' }) });
    expect(voted.status).toBe(201);
    const email = address();
    const answer = await post({ email, locale: 'es', source: 'vote-page', token });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/es${voteLink}?email=sent#email-signup`);
    const fan = await app.service('api::fan.fan').findByPhone(phone);
    expect(await signupFor(email)).toMatchObject({ fan_ref: fan.documentId, language: 'es', source: 'vote-page', confirmed_at: null });
    expect(await page(`/es${voteLink}?email=sent`)).toContain('Casi listo: te enviamos un email');
  });

  it('on a recap page, signs up the address alone; a bad address or a made-up link is told so, and nothing is stored', async () => {
    const recap = await page('/events/spring-sessions/recap');
    expect(recap).toContain('name="event" value="spring-sessions"');
    const email = address();
    const answer = await post({ email, locale: 'en', source: 'recap-page', event: 'spring-sessions' });
    expect(answer.headers.get('location')).toBe('/events/spring-sessions/recap?email=sent#email-signup');
    expect(await signupFor(email)).toMatchObject({ fan_ref: null, source: 'recap-page' });

    const invalid = await post({ email: 'not an address', locale: 'en', source: 'recap-page', event: 'spring-sessions' });
    expect(invalid.headers.get('location')).toBe('/events/spring-sessions/recap?email=invalid#email-signup');
    expect(await page('/events/spring-sessions/recap?email=invalid')).toContain('That does not look like an email address');

    const other = address();
    const madeUp = await post({ email: other, locale: 'en', source: 'vote-page', token: 'A'.repeat(24) });
    expect(madeUp.headers.get('location')).toMatch(/\?email=unknown#email-signup$/);
    expect(await signupFor(other)).toBeUndefined();
  });
});
