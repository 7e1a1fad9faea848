/**
 * From invitation to published profile, in Debian's Chromium: an editor invites the artist from
 * the artist's page in the real admin, the test reads the sandbox message, follows its link on the
 * site, creates the account, edits the profile and uploads a picture; the public page still shows
 * the old bio; the editor publishes the change on the Artist changes page; the public page shows the
 * new bio and picture. The artist's results page shows a seeded event and its CSV matches.
 */
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, ROLES, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi, cmsUrl } from '../../../../../cms/test/strapi';
import { axeViolations, launchChromium, screenshot, watchForProblems } from '../../../../../site/test/browser';
import { startSite, type RunningSite } from '../../../../../site/test/site-server';

const ARTIST = 'api::artist.artist';

/** Waits for `text`; on a timeout the failure shows what the page said instead. */
async function see(page: Page, text: string | RegExp) {
  try {
    await page.getByText(text).first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await screenshot(page, `artist-portal-failure-${Date.now()}`);
    throw new Error(`${String(text)} not shown; the page says:\n${(await page.locator('body').innerText()).slice(0, 3000)}`, { cause: error });
  }
}

describe('an artist from invitation to published profile, in a browser', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let site: RunningSite;
  let browser: Browser;
  let admin: Page;
  let artistPage: Page;
  let problems: () => Promise<string[]>;
  const suffix = crypto.randomBytes(3).toString('hex');
  const artist = { name: `Browser Artist ${suffix}`, slug: `browser-artist-${suffix}`, documentId: '' };
  const email = `browser-${suffix}@ovation.test`;
  const picture = path.join(os.tmpdir(), `avatar-${suffix}.jpg`);

  beforeAll(async () => {
    strapi = await bootStrapi();
    const created = await strapi.documents(ARTIST).create({ locale: 'en', status: 'published', data: { name: artist.name, slug: artist.slug, bio: 'Old bio in English' } as never });
    artist.documentId = created.documentId;
    fs.writeFileSync(picture, await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#2040c0' } }).jpeg().withExif({ IFD0: { Copyright: 'gps-and-serial' } }).toBuffer());
    const cms = await cmsUrl();
    [adminUrl, site, browser] = await Promise.all([startAdminCms(), startSite(cms, { NODE_ENV: 'production', MEDIA_ORIGINS: process.env.S3_CDN_URL ?? '' }), launchChromium()]);
    admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await logIn(admin, adminUrl, await createAdminUser(strapi, ROLES.editor));
    artistPage = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    problems = await watchForProblems(artistPage);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    fs.rmSync(picture, { force: true });
  });

  it('the editor invites the artist from the artist’s page in the admin', async () => {
    await admin.goto(`${adminUrl}/admin/content-manager/collection-types/${ARTIST}/${artist.documentId}?plugins[i18n][locale]=en`);
    await see(admin, 'Not claimed: no account speaks for this artist yet.');
    await admin.getByLabel('Email address').fill(email);
    await admin.getByRole('button', { name: 'Invite the artist' }).click();
    await see(admin, 'Invited: waiting for the artist to claim.');
    await see(admin, /Link sent by email to b\*\*\*@ovation\.test/);
    await screenshot(admin, 'artist-portal-invite');
  });

  it('the artist follows the link, creates the account, edits the profile and uploads a picture', async () => {
    const row = await strapi.db.connection('messages').where({ purpose: 'artist-invitation' }).orderBy('id', 'desc').first();
    const message = await strapi.service('api::message.message').forSending(Number(row.id));
    expect(message.to).toBe(email);
    const link = new URL(/https?:\/\/\S+\/artist\/claim\/\S+?(?=\s|$)/.exec(message.body)![0].replace(/\.$/, ''));
    await artistPage.goto(`${site.url}${link.pathname}`);
    await artistPage.getByRole('heading', { name: 'Claim your artist page' }).waitFor();
    expect(await axeViolations(artistPage)).toEqual([]);
    const password = `Stage-${crypto.randomBytes(6).toString('hex')}-Pw`;
    await artistPage.getByLabel('User name').fill(`browser-${suffix}`);
    await artistPage.getByLabel('Email').fill(email);
    await artistPage.getByLabel('Password', { exact: true }).fill(password);
    await artistPage.getByLabel('Repeat the password').fill(password);
    await artistPage.getByRole('button', { name: 'Create my account' }).click();
    await artistPage.waitForURL(`${site.url}/artist/profile`);

    await artistPage.getByLabel('Bio in English').fill('A brand new English bio');
    await artistPage.getByLabel('Bio in Spanish').fill('Una biografía nueva');
    await artistPage.getByLabel('Genre').fill('Cumbia');
    await artistPage.getByLabel(/^Links/).fill('https://open.spotify.com/artist/xyz\nhttps://band.example.org/');
    await artistPage.getByRole('button', { name: 'Save for review' }).click();
    await see(artistPage, 'Saved. The Ovation team will review your changes.');
    await artistPage.getByLabel('Picture', { exact: true }).setInputFiles(picture);
    await artistPage.getByRole('button', { name: 'Upload picture' }).click();
    await see(artistPage, 'Picture received. The Ovation team will review it.');
    expect(await artistPage.getByLabel('Bio in English').inputValue()).toBe('A brand new English bio');
    expect(await axeViolations(artistPage)).toEqual([]);
    await screenshot(artistPage, 'artist-portal-profile');

    // The link again, now used (in Spanish), and a forged one: a clear page with the right status.
    const again = await browser.newPage();
    expect((await again.goto(`${site.url}/es${link.pathname}`))?.status()).toBe(409);
    await see(again, 'Este enlace ya se usó. Inicia sesión.');
    expect((await again.goto(`${site.url}/artist/claim/${'A'.repeat(22)}.${'B'.repeat(43)}`))?.status()).toBe(404);
    await see(again, 'This claim link is not valid.');
    await again.close();

    // Nothing reaches the public page before an editor publishes it.
    const visitor = await browser.newPage();
    await visitor.goto(`${site.url}/artists/${artist.slug}`);
    await see(visitor, 'Old bio in English');
    await visitor.close();
  });

  it('the editor publishes the change, and the public page shows the new bio and picture', async () => {
    await admin.goto(`${adminUrl}/admin/plugins/artist-portal`);
    const change = admin.getByRole('region', { name: artist.name });
    await change.getByText('A brand new English bio').waitFor();
    await change.getByRole('button', { name: 'Publish' }).click();
    await admin.getByText('Published', { exact: true }).waitFor();

    const visitor = await browser.newPage();
    await expect
      .poll(async () => {
        await visitor.goto(`${site.url}/artists/${artist.slug}`);
        return visitor.getByText('A brand new English bio').count();
      }, { timeout: 15_000 })
      .toBe(1);
    const avatar = await strapi.documents(ARTIST).findOne({ documentId: artist.documentId, locale: 'en', status: 'published', populate: ['avatar'] });
    const src = await visitor.locator('img').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).currentSrc || (image as HTMLImageElement).src));
    expect(src.some((url) => url.includes(path.basename((avatar as { avatar: { url: string } }).avatar.url)))).toBe(true);
    await visitor.goto(`${site.url}/es/artists/${artist.slug}`);
    await see(visitor, 'Una biografía nueva');
    await visitor.close();
  });

  it('the artist reads their results and downloads the same numbers as CSV', async () => {
    const event = await strapi.documents('api::event.event').create({
      locale: 'en',
      status: 'published',
      data: { title: `Browser night ${suffix}`, slug: `browser-night-${suffix}`, keyword: `B${suffix}`.toUpperCase(), starts_at: new Date(), timezone: 'UTC', phase: 'live', results_visibility: 'public' } as never,
    });
    const round = await strapi.documents('api::round.round').create({
      data: { event: event.documentId, number: 1, state: 'open', opens_at: new Date(Date.now() - 60_000), closes_at: new Date(Date.now() + 3_600_000) } as never,
    });
    const entry = await strapi.documents('api::lineup-entry.lineup-entry').create({ data: { event: event.documentId, artist: artist.documentId, vote_code: '7', order: 1 } as never });
    strapi.plugin('sms-voting').service('directory').clear();
    const now = new Date();
    const fans = Array.from({ length: 3 }, () => crypto.randomBytes(12).toString('hex'));
    await strapi.db.connection('fans').insert(fans.map((id) => ({ document_id: id, phone_hash: crypto.randomBytes(32).toString('hex'), phone_encrypted: 'v1.none', phone_masked: '+1***00', language: 'en', first_seen: now, created_at: now, updated_at: now, published_at: now })));
    for (const fan of fans) {
      await strapi.plugin('sms-voting').service('votes').cast({ fanRef: fan, eventRef: event.documentId, roundRef: round.documentId, entry: { documentId: entry.documentId, code: '7' }, channel: 'sms' });
    }

    await artistPage.getByRole('link', { name: 'Results' }).click();
    await artistPage.getByRole('heading', { name: `Browser night ${suffix}` }).waitFor();
    const roundRow = artistPage.getByRole('row', { name: /Round 1/ });
    expect(await roundRow.textContent()).toMatch(/3.*3.*100%.*1 of 1/);
    expect(await artistPage.getByRole('img', { name: /Bar chart of your votes per minute/ }).count()).toBe(1);
    expect(await axeViolations(artistPage)).toEqual([]);
    const body = await artistPage.content();
    for (const fan of fans) expect(body).not.toContain(fan);

    const csv = await artistPage.evaluate(async () => (await fetch('/artist/dashboard.csv')).text());
    expect(csv.split('\r\n')[1]).toBe(`browser-night-${suffix},Browser night ${suffix},7,0,1,,3,3,100.0,1,1`);
    expect(await problems()).toEqual([]);
    await screenshot(artistPage, 'artist-portal-dashboard');
  });
});
