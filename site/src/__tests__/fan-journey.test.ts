/**
 * The fans' site end to end, in Debian's Chromium: the real CMS (with the sms-voting plugin) on a
 * port, the built site as a server, fans joining by signed SMS and voting from their links.
 */
import type { Core } from '@strapi/strapi';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { axeViolations, launchChromium, screenshot, watchForProblems } from '../../test/browser';
import { closeRound, createHostilePost, createLiveEvent, type TestEvent } from '../../test/fixtures';
import { startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';

describe('the fans’ site in a browser', () => {
  let app: Core.Strapi;
  let cms: string;
  let site: RunningSite;
  let browser: Browser;
  let night: TestEvent;
  const contexts: BrowserContext[] = [];
  /** Votes cast on the test night, by code, as the tests go (they run in order). */
  const cast: Record<string, number> = { '1': 0, '2': 0, '3': 0 };

  beforeAll(async () => {
    app = await bootStrapi();
    cms = await cmsUrl();
    await seedDemo(app);
    night = await createLiveEvent(app, ['luna-vega', 'the-midnight-owls', 'dj-kairo']);
    [site, browser] = await Promise.all([startSite(cms, { NODE_ENV: 'production' }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  /** A fresh phone at 360 px wide (the smallest screen the site is built for). */
  async function openPage(options: BrowserContextOptions = {}): Promise<{ page: Page; problems: () => Promise<string[]> }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    const problems = await watchForProblems(page);
    return { page, problems };
  }

  /** Texts the keyword (or `body`) from a new number and returns the voting link's path. */
  async function join(body = night.keyword): Promise<string> {
    const reply = await textCms(cms, nextPhoneNumber(), body);
    const path = votingPathIn(reply);
    expect(path, `no voting link in the reply: ${reply}`).toBeTruthy();
    return path!;
  }

  const totalOn = (page: Page) => page.locator('[data-testid="total-votes"]');

  it('a fan joins by text, votes from the link with the keyboard alone, and the live leaderboard moves', async () => {
    const board = await openPage();
    await board.page.goto(`${site.url}/events/${night.slug}/live`);
    await board.page.locator('.live-pill-live').waitFor();
    await expect.poll(() => totalOn(board.page).textContent()).toBe('0 votes in total');

    const path = await join();
    expect(path).toMatch(/^\/vote\//);
    const { page, problems } = await openPage();
    await page.goto(`${site.url}${path}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain(night.title.en);
    await screenshot(page, 'vote');

    // Tab to the first choice, arrow to the second, Tab to the button, Enter: no mouse.
    for (let i = 0; i < 10 && (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)) !== 'radio'; i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('2');
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement!.closest('label')!).outlineStyle);
    expect(focusRing).toBe('solid');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send my vote');
    const sentAt = Date.now();
    await page.keyboard.press('Enter');

    const confirmation = page.locator('#vote-done');
    await confirmation.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('vote-done');
    expect(await page.locator('.confirmation').textContent()).toContain(`You voted for ${night.lineup['2']} in round 1.`);
    cast['2']!++;
    await screenshot(page, 'vote-confirmation');

    await expect.poll(() => totalOn(board.page).textContent(), { timeout: 5_000, interval: 50 }).toBe('1 vote in total');
    const latency = Date.now() - sentAt;
    expect(await board.page.locator('.standing-name').first().textContent()).toBe(night.lineup['2']);
    expect(latency).toBeLessThan(3_000);
    await screenshot(board.page, 'live-leaderboard');
    expect(await problems()).toEqual([]);
    expect(await board.problems()).toEqual([]);
  });

  it('a Spanish fan gets the Spanish page and, without JavaScript, votes with a plain form post', async () => {
    const path = await join(`UNIRME ${night.keyword}`);
    expect(path).toMatch(/^\/es\/vote\//);
    const { page } = await openPage({ javaScriptEnabled: false });
    await page.goto(`${site.url}${path}`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe(`Vota en ${night.title.es}`);
    await screenshot(page, 'es-vote');

    await page.getByLabel(night.lineup['2']!).check();
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enviar mi voto' }).click()]);
    expect(response?.status()).toBe(200);
    expect(await page.locator('.confirmation h2').textContent()).toBe('¡Gracias! Recibimos tu voto.');
    expect(await page.locator('.confirmation').textContent()).toContain(`Votaste por ${night.lineup['2']} en la ronda 1.`);
    cast['2']!++;

    const again = await page.goto(`${site.url}${path}`);
    expect(again?.status()).toBe(409);
    expect(await page.locator('[role="alert"]').textContent()).toContain('Este enlace de votación ya se usó');
  });

  it('when the connection drops, the choice is kept and “Try again” sends it', async () => {
    const path = await join();
    const { page, problems } = await openPage();
    await page.goto(`${site.url}${path}`);
    await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
    await page.getByLabel(night.lineup['1']!).check();

    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Send my vote' }).click();
    const alert = page.locator('[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('No connection');
    expect(await page.evaluate(() => document.activeElement === document.querySelector('[role="alert"]'))).toBe(true);
    expect(await page.getByLabel(night.lineup['1']!).isChecked()).toBe(true);
    await screenshot(page, 'vote-offline');

    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('#vote-done').waitFor();
    expect(await page.locator('.confirmation').textContent()).toContain(`You voted for ${night.lineup['1']}`);
    cast['1']!++;
    expect(await problems()).toEqual([]);
  });

  it('the live leaderboard falls back to polling when its stream is blocked', async () => {
    const { page } = await openPage();
    await page.route('**/stream', (route) => route.abort());
    await page.goto(`${site.url}/events/${night.slug}/live`);
    await page.locator('.live-pill-polling').waitFor();
    const before = Number((await totalOn(page).textContent())!.split(' ')[0]);

    const token = (await join()).split('/').pop();
    const res = await fetch(`${site.url}/api/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, choice: '2' }),
    });
    expect(res.status).toBe(201);
    cast['2']!++;
    await expect.poll(() => totalOn(page).textContent(), { timeout: 8_000 }).toBe(`${before + 1} votes in total`);
  });

  it('used and unknown voting links say why, with the right status', async () => {
    const { page } = await openPage();
    const unknown = await page.goto(`${site.url}/vote/${'x'.repeat(32)}`);
    expect(unknown?.status()).toBe(404);
    expect(await page.locator('[role="alert"]').textContent()).toContain('This voting link is not valid');

    const path = await join();
    const token = path.split('/').pop();
    await fetch(`${site.url}/api/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, choice: '3' }),
    });
    cast['3']!++;
    const used = await page.goto(`${site.url}${path}`);
    expect(used?.status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('This link can’t be used to vote');
    expect(await page.locator('[role="alert"]').textContent()).toContain('already been used');
    await screenshot(page, 'vote-used');
  });

  it('the recap shows the winner and full results once the round is closed', async () => {
    const { page } = await openPage();
    await page.goto(`${site.url}/events/${night.slug}/recap`);
    expect(await page.locator('.recap-round').textContent()).toContain('Voting is still open in this round.');

    const late = await join();
    await closeRound(app, night.roundDocumentId);

    // Pages share what they read from the CMS for a second (SITE_CONTENT_CACHE_MS): the closed round
    // shows within that.
    await expect
      .poll(async () => {
        await page.goto(`${site.url}/events/${night.slug}/recap`);
        return page.locator('.winner-label').count();
      }, { timeout: 10_000 })
      .toBe(1);
    expect(await page.locator('.winner-label').textContent()).toBe('Winner');
    expect(await page.locator('.winner-name').textContent()).toBe(night.lineup['2']);
    expect(await page.locator('.recap-round .standing').count()).toBe(3);
    const total = Object.values(cast).reduce((a, b) => a + b, 0);
    expect(cast['2']).toBeGreaterThan(Math.max(cast['1']!, cast['3']!));
    expect(await page.locator('.recap-round').textContent()).toContain(`${total} votes in total`);
    await screenshot(page, 'recap');

    await page.goto(`${site.url}/es/events/${night.slug}/recap`);
    expect(await page.locator('.winner-label').textContent()).toBe('Ganador');
    expect(await page.locator('h1').textContent()).toBe(`${night.title.es}: resumen`);
    await screenshot(page, 'es-recap');

    const expired = await page.goto(`${site.url}${late}`);
    expect(expired?.status()).toBe(410);
    expect(await page.locator('[role="alert"]').textContent()).toContain('expired');
  });

  it('a post whose body holds script and event-handler payloads shows them as inert text', async () => {
    const slug = await createHostilePost(app, night.documentId);
    const { page, problems } = await openPage();
    await page.goto(`${site.url}/posts/${slug}`);
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const prose = page.locator('.prose');
    expect(await prose.textContent()).toContain('<script>window.__pwned = "script"</script>');
    expect(await prose.textContent()).toContain(`<img src=x onerror="window.__pwned = 'onerror'">`);
    expect(await prose.locator('script, img, svg, [onerror], [onload]').count()).toBe(0);
    expect(await prose.locator('a').count()).toBe(1);
    expect(await prose.locator('a').getAttribute('href')).toBe('https://example.com/safe');
    expect(await prose.locator('h2').count()).toBe(1);
    expect(await problems()).toEqual([]);
    await screenshot(page, 'post-hostile');
  });

  it('axe-core finds no violations on any page template, in either language, at 360 px', async () => {
    const ballot = await join('JOIN DEMO');
    const pages: [name: string, path: string][] = [
      ['home', '/'],
      ['event', '/events/summer-showcase'],
      ['live', '/events/summer-showcase/live'],
      ['live-after-close', '/events/autumn-finals/live'],
      ['recap', `/events/${night.slug}/recap`],
      ['recap-no-votes', '/events/spring-sessions/recap'],
      ['artist', '/artists/luna-vega'],
      ['post', '/posts/spring-sessions-recap'],
      ['vote-ballot', ballot],
      ['vote-unknown', '/vote/not-a-real-token-0000000000'],
      ['not-found', '/no-such-page'],
      ['es-home', '/es/'],
      ['es-event', '/es/events/summer-showcase'],
      ['es-live', '/es/events/summer-showcase/live'],
      ['es-recap', `/es/events/${night.slug}/recap`],
      ['es-artist', '/es/artists/sol-y-mar'],
      ['es-post', '/es/posts/summer-showcase-lineup'],
    ];
    const { page, problems } = await openPage({ reducedMotion: 'reduce' });
    const found: Record<string, string[]> = {};
    for (const [name, path] of pages) {
      await page.goto(`${site.url}${path}`);
      // Islands drop their `ssr` attribute once hydrated: check them as fans use them.
      await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      const violations = await axeViolations(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) violations.push(`wider than the screen by ${overflow}px`);
      if (violations.length) found[path] = violations;
      await screenshot(page, `page-${name}`);
    }
    expect(found).toEqual({});

    // Dark mode has its own colours: check their contrast on the busiest templates.
    const dark = await openPage({ colorScheme: 'dark' });
    for (const [name, path] of pages.filter(([name]) => ['event', 'live', 'recap', 'vote-ballot', 'vote-unknown'].includes(name))) {
      await dark.page.goto(`${site.url}${path}`);
      await dark.page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      const violations = await axeViolations(dark.page);
      if (violations.length) found[`${path} (dark)`] = violations;
      if (name === 'recap') await screenshot(dark.page, 'page-recap-dark');
    }
    expect(found).toEqual({});

    // The vote confirmation is a template of its own (the island's other state).
    await page.goto(`${site.url}${ballot}`);
    await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
    await page.getByLabel('Luna Vega').check();
    await page.getByRole('button', { name: 'Send my vote' }).click();
    await page.locator('#vote-done').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Reduced motion: the live indicator does not pulse.
    await page.goto(`${site.url}/events/summer-showcase/live`);
    await page.locator('.live-pill-live').waitFor();
    const animation = await page.evaluate(() => getComputedStyle(document.querySelector('.live-pill-live')!, '::before').animationName);
    expect(animation).toBe('none');
    expect(await problems()).toEqual([]);
  });
});
