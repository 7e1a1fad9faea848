/**
 * The built site's pages over HTTP, against the real CMS with the demo: status codes, languages,
 * results visibility, and the headers that keep them safe (CSP) and cacheable.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../cms/src/seed';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { freePort, startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';
import { createEnglishOnlyContent, type EnglishOnlyContent } from '../../test/fixtures';

describe('pages over HTTP', () => {
  let cms: string;
  let site: RunningSite;
  let voteLink: string;
  let englishOnly: EnglishOnlyContent;

  beforeAll(async () => {
    const app = await bootStrapi();
    cms = await cmsUrl();
    await seedDemo(app);
    site = await startSite(cms, { SMS_NUMBER: '+1 202 555 0188' });
    voteLink = votingPathIn(await textCms(cms, nextPhoneNumber(), 'DEMO'))!;
    englishOnly = await createEnglishOnlyContent(app);
  });

  afterAll(async () => {
    await site?.stop();
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${site.url}${path}`, { redirect: 'manual', ...init });
    return { res, html: await res.text() };
  };

  const pages = {
    home: '/',
    event: '/events/summer-showcase',
    live: '/events/summer-showcase/live',
    recap: '/events/spring-sessions/recap',
    artist: '/artists/luna-vega',
    post: '/posts/spring-sessions-recap',
  };

  it('serves every page in English and Spanish, with hreflang alternates and a language switcher', async () => {
    for (const path of Object.values(pages)) {
      for (const locale of ['en', 'es'] as const) {
        const localized = locale === 'en' ? path : `/es${path === '/' ? '/' : path}`;
        const { res, html } = await get(localized);
        expect(res.status, localized).toBe(200);
        expect(html, localized).toContain(`<html lang="${locale}"`);
        expect(html, localized).toMatch(/<link rel="alternate" hreflang="en" href="http:\/\/127\.0\.0\.1:\d+\//);
        expect(html, localized).toMatch(/<link rel="alternate" hreflang="es" href="http:\/\/127\.0\.0\.1:\d+\/es\//);
        expect(html, localized).toContain('hreflang="x-default"');
        expect(html, localized).toMatch(locale === 'en' ? />\s*Español\s*<\/a>/ : />\s*English\s*<\/a>/);
      }
    }
  });

  it('writes Spanish pages in Spanish: interface strings, content, dates and numbers', async () => {
    const event = (await get('/es/events/summer-showcase')).html;
    expect(event).toContain('Ovation en Vivo: Muestra de Verano');
    expect(event).toContain('Cómo unirte');
    expect(event).toMatch(/Envía <strong class="keyword">DEMO<\/strong> al <span class="nowrap">\+1 202 555 0188<\/span>/);
    expect(event).toContain('Código de voto 1');
    expect(event).toMatch(/(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d+ de [a-z]+ de \d{4}/);
    for (const english of ['How to join', 'Lineup', 'Vote code', 'Voting rounds', 'Live now', 'Skip to content']) {
      expect(event).not.toContain(english);
    }
    const live = (await get('/es/events/summer-showcase/live')).html;
    expect(live).toContain('Clasificación en vivo');
    expect(live).toMatch(/\d+ votos? en total/);
    const vote = (await get(`/es${voteLink}`)).html;
    expect(vote).toContain('Enviar mi voto');
    expect(vote).toContain('¿Quién debería ganar la Ronda 1: Opening round?');
  });

  it('shows Spanish round titles and genres on Spanish event pages', async () => {
    const event = (await get('/es/events/summer-showcase')).html;
    expect(event).toContain('Ronda 1: Ronda inaugural');
    expect(event).toContain('Ronda 2: Votación del bis');
    for (const genre of ['Pop latino', 'Rock independiente', 'Electrónica']) expect(event).toContain(`<p class="meta">${genre}</p>`);
    for (const english of ['Opening round', 'Encore vote', 'Latin pop', 'Indie rock']) expect(event).not.toContain(english);
    const recap = (await get('/es/events/spring-sessions/recap')).html;
    expect(recap).toContain('Ronda 1: Favorito del público');
    expect((await get('/es/artists/luna-vega')).html).toMatch(/Género: <\/span>\s*<span>Pop latino<\/span>/);
  });

  it('shows what exists only in English on Spanish pages, marked lang="en", so no language link leads to a 404', async () => {
    const { event, artist, post } = englishOnly;
    const home = (await get('/es/')).html;
    expect(home).toContain(`<a href="/es/events/${event.slug}" lang="en">${event.title}</a>`);

    const spanish = (await get(`/es/events/${event.slug}`)).html;
    expect(spanish).toContain(`<html lang="es"`);
    expect(spanish).toContain(`<h1 lang="en">${event.title}</h1>`);
    expect(spanish).toContain(`<p class="lede" lang="en">${event.description}</p>`);
    expect(spanish).toContain('Ronda 1: Only round');
    expect(spanish).toContain(`<p class="meta" lang="en">${artist.genre}</p>`);
    expect(spanish).toContain('Cómo unirte');
    expect((await get(`/es/artists/${artist.slug}`)).html).toContain(`<p class="lede" lang="en">${artist.bio}</p>`);
    expect((await get(`/es/posts/${post.slug}`)).html).toContain(`<h1 lang="en">${post.title}</h1>`);
    expect((await get(`/es/events/${event.slug}/recap`)).html).toContain(`<span lang="en">${event.title}</span>: resumen`);

    const everyPage = [
      ...Object.values(pages),
      `/events/${event.slug}`,
      `/events/${event.slug}/live`,
      `/events/${event.slug}/recap`,
      `/artists/${artist.slug}`,
      `/posts/${post.slug}`,
    ];
    for (const path of everyPage.flatMap((page) => [page, `/es${page}`])) {
      const { res, html } = await get(path);
      expect(res.status, path).toBe(200);
      const switches = [...html.matchAll(/<a href="([^"]+)" hreflang="(?:en|es)" lang="(?:en|es)">/g)].map((match) => match[1]!);
      expect(switches, path).toHaveLength(1);
      for (const link of switches) expect((await get(link)).res.status, `${path} → ${link}`).toBe(200);
    }
  });

  it('tells fans how to join: "Text DEMO to" the configured number, with an sms: link', async () => {
    const { html } = await get(pages.event);
    expect(html).toMatch(/Text <strong class="keyword">DEMO<\/strong> to <span class="nowrap">\+1 202 555 0188<\/span>/);
    expect(html).toContain('href="sms:+12025550188?body=DEMO"');
  });

  it('respects results visibility: an after-close event shows no standings until it ends', async () => {
    const { res, html } = await get('/events/autumn-finals/live');
    expect(res.status).toBe(200);
    expect(html).toContain('Results will be revealed when the event ends.');
    expect(html).not.toContain('class="standings"');
    expect((await get('/events/autumn-finals/recap')).html).toContain('Results will be published when the event ends.');
    expect((await get('/api/leaderboard/autumn-finals')).res.status).toBe(404);
    const visible = await get('/api/leaderboard/summer-showcase');
    expect(visible.res.status).toBe(200);
    expect(JSON.parse(visible.html).data.round.number).toBe(1);
  });

  it('answers 404 for unknown events, artists, posts and pages, in the right language', async () => {
    for (const path of ['/events/nope', '/artists/nope', '/posts/nope', '/events/nope/recap', '/events/nope/live', '/nope']) {
      const { res, html } = await get(path);
      expect(res.status, path).toBe(404);
      expect(html, path).toContain('Page not found');
    }
    const { res, html } = await get('/es/events/nope');
    expect(res.status).toBe(404);
    expect(html).toContain('Página no encontrada');
  });

  it('sends a Content-Security-Policy without unsafe-inline, and hashes every inline script it serves', async () => {
    for (const path of [...Object.values(pages), voteLink, '/nope']) {
      const { res, html } = await get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("base-uri 'self'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).toContain(`img-src 'self' data: ${cms}`);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!;
      for (const [, body] of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
        const hash = `'sha256-${crypto.createHash('sha256').update(body!).digest('base64')}'`;
        expect(scriptSrc, `${path}: inline script not allowed by its hash`).toContain(hash);
      }
      expect(html, path).not.toMatch(/\son[a-z]+="/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses request bodies over 16 KiB with 413, declared or sent in chunks, and still counts a vote after', async () => {
    // Small enough to sit in the socket's buffers: the site answers before reading it, and a far larger
    // body would see the connection close under it (also a refusal, but not one a test can read).
    const big = 'x'.repeat(48 * 1024);
    const headers = { 'content-type': 'application/json', origin: site.url };
    const declared = await fetch(`${site.url}/api/votes`, { method: 'POST', headers, body: JSON.stringify({ token: 'x', choice: big }) });
    expect(declared.status).toBe(413);
    // No Content-Length: the body streams in chunks and is cut off at the limit.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i += 1) controller.enqueue(new TextEncoder().encode(big.slice(0, 16 * 1024)));
        controller.close();
      },
    });
    const chunked = await fetch(`${site.url}/api/votes`, { method: 'POST', headers, body: chunks, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const form = await fetch(`${site.url}${voteLink}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.url },
      body: `choice=${big}`,
      redirect: 'manual',
    });
    expect(form.status).toBe(413);

    const token = votingPathIn(await textCms(cms, nextPhoneNumber(), 'DEMO'))!.split('/').pop();
    const vote = await fetch(`${site.url}/api/votes`, { method: 'POST', headers, body: JSON.stringify({ token, choice: '1' }) });
    expect(vote.status).toBe(201);
  });

  it('keeps its memory flat under ten 50 MB posts: each refused before it is read, declared or streamed', async () => {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${site.pid}/status`, 'utf8'))![1]) * 1024;
    /** Streams `bytes` of body (with or without Content-Length) until the site answers or hangs up. */
    const flood = (bytes: number, declared: boolean) =>
      new Promise<number | 'closed'>((resolve) => {
        const headers: Record<string, string | number> = { 'content-type': 'application/json', origin: site.url };
        if (declared) headers['content-length'] = bytes;
        const req = http.request(`${site.url}/api/votes`, { method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', () => resolve('closed'));
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < bytes && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
    const before = rss();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => flood(50 * 1024 * 1024, i % 2 === 0)));
    for (const outcome of outcomes) expect([413, 'closed']).toContain(outcome);
    // Buffering them would have taken 500 MB; what is left is the garbage of ordinary work.
    expect(rss() - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('sends HSTS when served over TLS (a proxy saying X-Forwarded-Proto: https), and not over plain HTTP', async () => {
    const overTls = await get(pages.home, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await get(pages.home)).res.headers.get('strict-transport-security')).toBeNull();
  });

  it('lets caches keep content pages, and never stores live or personal ones', async () => {
    const cacheOf = async (path: string) => (await get(path)).res.headers.get('cache-control');
    for (const path of [pages.recap, pages.artist, pages.post]) {
      expect(await cacheOf(path), path).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=300');
    }
    for (const path of [pages.home, pages.event]) expect(await cacheOf(path), path).toMatch(/^public, max-age=0, s-maxage=15/);
    expect(await cacheOf(pages.live)).toBe('no-store');
    expect(await cacheOf(voteLink)).toBe('private, no-store');
    expect(await cacheOf('/nope')).toMatch(/s-maxage=10/);
    const vote = await get(voteLink);
    expect(vote.res.headers.get('referrer-policy')).toBe('same-origin');
    expect(vote.html).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it('answers votes with the headers and refusals of every other response', async () => {
    const vote = (headers: Record<string, string>, body = JSON.stringify({ token: 'a'.repeat(24), choice: '1' })) =>
      fetch(`${site.url}/api/votes`, { method: 'POST', headers: { origin: site.url, ...headers }, body });
    const unknown = await vote({ 'content-type': 'application/json', 'x-forwarded-proto': 'https' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { ok: false, problem: 'unknown' }]);
    const page = (await get(pages.home, { headers: { 'x-forwarded-proto': 'https' } })).res.headers;
    for (const name of ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'permissions-policy', 'strict-transport-security']) {
      expect(unknown.headers.get(name), name).toBe(page.get(name));
    }
    expect(unknown.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await vote({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await vote({ 'content-type': 'application/json' }, '{"token":')).status).toBe(404);
    const forged = await vote({ 'content-type': 'application/json', origin: 'https://evil.example' });
    expect([forged.status, await forged.text()]).toEqual([403, 'Cross-site form submissions are not allowed']);
  });

  it("serves the build's own files, the hashed ones cached for a year, and refuses a URL that does not decode", async () => {
    const { res, html } = await get(pages.event);
    const stylesheet = html.match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    expect(stylesheet).toBeDefined();
    const asset = await get(stylesheet!);
    expect(asset.res.status).toBe(200);
    expect(asset.res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(asset.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await get('/favicon.svg');
    expect([icon.res.status, icon.res.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    expect(icon.res.headers.get('cache-control')).toBe('public, max-age=0');
    // What is not a file is Astro's: a page, and a 404 page for an asset that does not exist.
    expect(res.status).toBe(200);
    expect((await get('/_astro/nope.css')).res.status).toBe(404);
    expect((await get('/%E0%A4%A')).res.status).toBe(400);
  });

  it('refuses a vote form posted from another site', async () => {
    const { res } = await get(voteLink, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'choice=1',
    });
    expect(res.status).toBe(403);
    const stillUsable = await get(voteLink);
    expect(stillUsable.res.status).toBe(200);
  });

  it('streams standings as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${site.url}/api/leaderboard/summer-showcase/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: standings')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toMatch(/event: standings\ndata: \{"event":\{"slug":"summer-showcase"/);
  });

  it('shows a friendly 503 when the CMS is down', async () => {
    const down = await startSite(`http://127.0.0.1:${await freePort()}`);
    try {
      for (const path of ['/', '/events/summer-showcase', '/es/posts/x']) {
        const res = await fetch(`${down.url}${path}`);
        const html = await res.text();
        expect(res.status, path).toBe(503);
        expect(res.headers.get('retry-after')).toBe('30');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(html).toContain(path.startsWith('/es') ? 'Volvemos enseguida' : 'We’ll be right back');
      }
      const vote = await fetch(`${down.url}/vote/${'a'.repeat(24)}`);
      expect(vote.status).toBe(503);
      expect(await vote.text()).toContain('Try again');
    } finally {
      await down.stop();
    }
  });
});
