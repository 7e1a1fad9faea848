/**
 * The event's look in Debian's Chromium, against the real CMS (uploads on the run's S3 behind its CDN)
 * and the built site: the hero image and artist photos through Astro's image pipeline (WebP, several
 * widths, width and height set, lazy below the fold, alternative text), and an editor's accent colour,
 * adjusted where it would fail WCAG AA.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artistArtwork, eventHero } from '../../../cms/src/seed/artwork';
import { uploadPicture } from '../../../cms/src/seed/images';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { AA_CONTRAST, contrast, parseHex } from '../lib/accent';
import { RESULTS_DIR, axeViolations, launchChromium, screenshot, watchForProblems } from '../../test/browser';
import { createLiveEvent, type TestEvent } from '../../test/fixtures';
import { startSite, type RunningSite } from '../../test/site-server';

/** Yellow: 1.07:1 on white. An editor may pick it; no fan should have to read it. */
const HOSTILE_ACCENT = '#ffff00';

describe('the event’s look', () => {
  let app: Core.Strapi;
  let site: RunningSite;
  let browser: Browser;
  let night: TestEvent;

  beforeAll(async () => {
    app = await bootStrapi();
    const cms = await cmsUrl();
    await seedDemo(app);
    night = await createLiveEvent(app, ['luna-vega', 'the-midnight-owls', 'dj-kairo']);
    const hero = await uploadPicture(app, await eventHero(night.title.en), `${night.slug}-hero.png`, '');
    await app.documents('api::event.event').update({
      documentId: night.documentId,
      locale: 'en',
      data: { hero_image: hero.id, accent_color: HOSTILE_ACCENT } as never,
      status: 'published',
    });
    [site, browser] = await Promise.all([startSite(cms, { NODE_ENV: 'production' }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('the event page shows its hero and the artists’ photos, responsive and described, with a readable accent', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const problems = await watchForProblems(page);
    try {
      expect((await page.goto(`${site.url}/events/${night.slug}`))?.status()).toBe(200);

      // Hero: first on the page, so loaded at once; WebP at several widths; alt falls back to the event's name.
      const hero = page.locator('img.hero');
      expect(await hero.getAttribute('alt')).toBe(night.title.en);
      expect(await hero.getAttribute('loading')).toBe('eager');
      expect(Number(await hero.getAttribute('width'))).toBe(1600);
      expect(Number(await hero.getAttribute('height'))).toBe(900);
      const srcset = (await hero.getAttribute('srcset')) ?? '';
      expect(srcset.split(',').length).toBeGreaterThanOrEqual(3);
      expect(srcset).toContain('/_image?href=');
      expect(srcset).toContain('f=webp');
      await expect.poll(() => hero.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      // A phone gets a picture for its width, not the 1600 px original.
      expect(await hero.evaluate((img) => new URL((img as HTMLImageElement).currentSrc).searchParams.get('w'))).not.toBe('1600');

      // Lineup: a photo per artist, named by the artist, lazy (below the fold), loaded once scrolled to.
      for (const name of Object.values(night.lineup)) {
        const photo = page.locator('.lineup img.avatar', { has: page.locator(`xpath=self::*[@alt=${JSON.stringify(name)}]`) });
        expect(await photo.count(), name).toBe(1);
        expect(await photo.getAttribute('loading')).toBe('lazy');
        expect(await photo.getAttribute('width')).toBeTruthy();
        await photo.scrollIntoViewIfNeeded();
        await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      }

      // The hostile accent was moved until it reads at AA on the page and on its tint.
      const [accent, soft, buttonText] = await page.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return ['--accent', '--accent-soft', '--accent-contrast'].map((name) => style.getPropertyValue(name).trim());
      });
      expect(accent).not.toBe(HOSTILE_ACCENT);
      expect(contrast(parseHex(accent)!, parseHex('#ffffff')!)).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(contrast(parseHex(accent)!, parseHex(soft)!)).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(contrast(parseHex(accent)!, parseHex(buttonText)!)).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(await page.content()).not.toContain(HOSTILE_ACCENT.slice(1) + ';');

      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'event-look');
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the dark scheme gets its own adjusted accent, and the artist page its photo', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 }, colorScheme: 'dark' });
    const page = await context.newPage();
    const problems = await watchForProblems(page);
    try {
      await page.goto(`${site.url}/events/${night.slug}`);
      const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
      expect(contrast(parseHex(accent)!, parseHex('#111116')!)).toBeGreaterThanOrEqual(AA_CONTRAST);
      expect(await axeViolations(page)).toEqual([]);

      // The seed's pictures are on every language of the demo.
      await page.goto(`${site.url}/es/artists/luna-vega`);
      expect(await page.locator('.artist-head img.avatar').count()).toBe(1);
      await page.goto(`${site.url}/es/events/summer-showcase`);
      expect(await page.locator('img.hero').getAttribute('alt')).toBeTruthy();
      await page.goto(`${site.url}/artists/luna-vega`);
      const photo = page.locator('.artist-head img.avatar');
      expect(await photo.getAttribute('alt')).toBe('Luna Vega');
      await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'artist-photo-dark');
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the recap shows the winner’s photo and every act’s, and its share card shows the winner', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const problems = await watchForProblems(page);
    try {
      // The demo's past event: its first round closed with public results.
      await page.goto(`${site.url}/events/spring-sessions/recap`);
      const winner = page.locator('.winner img.avatar');
      const name = (await page.locator('.winner-name').first().textContent())!;
      expect(await winner.first().getAttribute('alt')).toBe(name);
      const photos = page.locator('.standings img.standing-photo');
      expect(await photos.count()).toBeGreaterThanOrEqual(3);
      expect(await photos.first().getAttribute('alt')).toBe(name);

      // The share card is announced to Open Graph and Twitter, and is a 1200×630 PNG with the winner.
      const og = await page.locator('meta[property="og:image"]').getAttribute('content');
      expect(og).toBe(`${site.url}/events/spring-sessions/recap/og.png`);
      expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'recap-photos');
      expect(await problems()).toEqual([]);

      const card = await fetch(og!);
      expect(card.status).toBe(200);
      expect(card.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await card.arrayBuffer());
      const meta = await sharp(png).metadata();
      expect([meta.width, meta.height]).toEqual([1200, 630]);
      fs.writeFileSync(path.join(RESULTS_DIR, 'recap-share-card.png'), png);
      // The winner's photo is on it: where it goes, neither the card's background nor the initials' disc.
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
      expect(at(100, 260)).not.toEqual([0x0d, 0x0b, 0x14]);
      expect(at(100, 260)).not.toEqual([0x4c, 0x3d, 0x8f]);
      expect(at(20, 260)).toEqual([0x0d, 0x0b, 0x14]);
      const spanish = await fetch(`${site.url}/es/events/spring-sessions/recap/og.png`);
      expect(spanish.status).toBe(200);
      expect(Buffer.from(await spanish.arrayBuffer()).equals(png)).toBe(false);
      expect((await fetch(`${site.url}/events/no-such-event/recap/og.png`)).status).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('the image pipeline only resizes uploads, and accent stylesheets only exist for colours', async () => {
    const elsewhere = await fetch(`${site.url}/_image?href=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}&w=100&f=webp`);
    expect(elsewhere.status).toBe(403);
    expect((await fetch(`${site.url}/theme/zzzzzz.css`)).status).toBe(404);
    const sheet = await fetch(`${site.url}/theme/ffff00.css`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toContain('text/css');
    // On the light page it is darkened; on the dark page yellow reads well and is kept.
    expect(await sheet.text()).toMatch(/^html:root\{--accent:#(?!ffff00)[0-9a-f]{6};/);
  });

  it('the demo draws its own pictures: each artist and event has one after seeding', async () => {
    const artists = await app.db.query('api::artist.artist').findMany({ where: { slug: 'luna-vega', publishedAt: { $notNull: true } }, populate: ['avatar'] });
    expect(artists[0]?.avatar?.mime).toBe('image/png');
    const events = await app.db.query('api::event.event').findMany({ where: { slug: 'summer-showcase', publishedAt: { $notNull: true } }, populate: ['hero_image'] });
    expect(events.every((e: { hero_image: unknown }) => e.hero_image)).toBe(true);
    // Seeding again uploads nothing.
    const again = await seedDemo(app);
    expect(again.created.filter((what) => what.startsWith('picture') || what.startsWith('hero'))).toEqual([]);
    // The same name draws the same picture; another name another one.
    expect((await artistArtwork('Luna Vega', 'Latin pop', 64)).equals(await artistArtwork('Luna Vega', 'Latin pop', 64))).toBe(true);
    expect((await artistArtwork('Luna Vega', 'Latin pop', 64)).equals(await artistArtwork('Nova Reyes', 'Latin pop', 64))).toBe(false);
  });
});
