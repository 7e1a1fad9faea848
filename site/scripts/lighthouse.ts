/**
 * Lighthouse (the npm package, in Debian's Chromium) on the pages fans land on: the live event's
 * page with its hero image, a recap with results and the artists' photos, and a voting link; and on
 * the page an artist reads: their dashboard, signed in (an artist of the recap's night who claimed
 * their profile).
 * Writes bench/results/site-lighthouse.json.
 *
 *   npx tsx site/scripts/lighthouse.ts                      boots a throwaway CMS (demo + a closed
 *                                                           round with votes + a claimed artist)
 *                                                           and the built site
 *   npx tsx site/scripts/lighthouse.ts <site-url> <recap-path> <vote-path>   against a running site
 *
 * Options (env): LIGHTHOUSE_RUNS (default 3; the median is reported), CHROMIUM_PATH.
 * Scores come from simulated throttling (Lighthouse's mobile defaults), so they depend little on how
 * busy this machine is; still, they are timings, so this is a benchmark and not a test.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../test/browser';
import { SITE_DIR, startSite } from '../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../test/sms';

const OUTPUT = path.join(SITE_DIR, '..', 'bench', 'results', 'site-lighthouse.json');
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS) || 3);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** What the issues ask of these pages: nothing may shift as pictures load (cumulative layout shift 0). */
const TARGETS = { performance: 95, accessibility: 100, cumulativeLayoutShift: 0 };

type Scores = Record<(typeof CATEGORIES)[number], number> & { cumulativeLayoutShift: number };

interface Target {
  siteUrl: string;
  pages: Record<string, string>;
  /** Headers a page is asked with (the artist's session cookies for the dashboard). */
  headers?: Record<string, Record<string, string>>;
  stop: () => Promise<void>;
}

/**
 * An artist invited as an editor would (through the outbox), who claimed their profile and signed
 * in on the site: the session's cookies.
 */
async function artistSession(app: Core.Strapi, cmsUrl: string, siteUrl: string, slug: string): Promise<string> {
  const [artist] = await app.documents('api::artist.artist').findMany({ filters: { slug }, locale: 'en' });
  if (!artist) throw new Error(`no artist ${slug}`);
  const email = `bench-${crypto.randomBytes(4).toString('hex')}@ovation.test`;
  await app.plugin('artist-portal').service('invitations').invite(artist.documentId, { channel: 'email', to: email, language: 'en' }, null);
  const sent = await app.db.connection('messages').where({ purpose: 'artist-invitation' }).orderBy('id', 'desc').first('id');
  const { body } = await app.service('api::message.message').forSending(Number(sent.id));
  const token = /\/artist\/claim\/([A-Za-z0-9_.-]+)/.exec(body)?.[1];
  if (!token) throw new Error('no claim link in the invitation');
  const password = `Bench-${crypto.randomBytes(8).toString('hex')}-9`;
  const claimed = await fetch(`${cmsUrl}/api/artist-portal/claims/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: email.split('@')[0], email, password }),
  });
  if (claimed.status !== 200) throw new Error(`claim refused: ${claimed.status} ${await claimed.text()}`);
  const login = await fetch(`${siteUrl}/artist/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ identifier: email, password }),
  });
  const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  if (login.status !== 303 || !cookies) throw new Error(`sign-in refused: ${login.status}`);
  return cookies;
}

/** A CMS of our own with the demo, plus an event whose round closed with votes (a recap worth measuring). */
async function bootTarget(): Promise<Target> {
  const { startStandaloneCms } = await import('../test/standalone-cms');
  const { closeRound, createLiveEvent } = await import('../test/fixtures');
  const { bootStrapi } = await import('../../cms/test/strapi');
  const cms = await startStandaloneCms();
  const site = await startSite(cms.url);
  const stop = async () => {
    await site.stop();
    await cms.stop();
  };
  try {
    const app = await bootStrapi();
    const night = await createLiveEvent(app, ['luna-vega', 'the-midnight-owls', 'dj-kairo', 'sol-y-mar']);
    for (const choice of ['2', '2', '1', '3', '2', '4']) {
      const token = votingPathIn(await textCms(cms.url, nextPhoneNumber(), night.keyword))!.split('/').pop();
      const res = await fetch(`${site.url}/api/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, choice }),
      });
      if (res.status !== 201) throw new Error(`vote refused: ${res.status} ${await res.text()}`);
    }
    await closeRound(app, night.roundDocumentId);
    const vote = votingPathIn(await textCms(cms.url, nextPhoneNumber(), 'DEMO'));
    if (!vote) throw new Error('no voting link in the reply to DEMO');
    const cookies = await artistSession(app, cms.url, site.url, 'the-midnight-owls');
    // The demo's live event (DEMO) has a hero image; the night's recap shows its artists' photos.
    return {
      siteUrl: site.url,
      pages: { event: '/events/summer-showcase', recap: `/events/${night.slug}/recap`, vote, dashboard: '/artist/dashboard' },
      headers: { dashboard: { Cookie: cookies } },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function measure(url: string, port: number, extraHeaders?: Record<string, string>): Promise<Scores> {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { categories, runtimeError } = result.lhr;
  if (runtimeError) throw new Error(`Lighthouse failed on ${url}: ${runtimeError.message}`);
  // Measured where it was sent: a dashboard whose session was refused would redirect to the sign-in page.
  if (result.lhr.finalDisplayedUrl !== url) throw new Error(`${url} went to ${result.lhr.finalDisplayedUrl}`);
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((categories[c]?.score ?? 0) * 100)]));
  const shift = result.lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN;
  return { ...scores, cumulativeLayoutShift: Math.round(shift * 1000) / 1000 } as Scores;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Stops whatever was started, once: on the way out, or on Ctrl-C. */
let cleanup = async () => {};

async function main() {
  const [siteArg, recapArg, voteArg] = process.argv.slice(2);
  const target: Target = siteArg
    ? { siteUrl: siteArg.replace(/\/$/, ''), pages: { recap: recapArg ?? '/events/spring-sessions/recap', ...(voteArg ? { vote: voteArg } : {}) }, stop: async () => {} }
    : await bootTarget();
  cleanup = target.stop;

  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS });
  const pages: Record<string, { path: string; runs: Scores[]; median: Scores }> = {};
  try {
    for (const [name, pagePath] of Object.entries(target.pages)) {
      const runs: Scores[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(`${target.siteUrl}${pagePath}`, chrome.port, target.headers?.[name]));
      const keys = [...CATEGORIES, 'cumulativeLayoutShift'] as const;
      const med = Object.fromEntries(keys.map((c) => [c, median(runs.map((r) => r[c]))])) as Scores;
      // The token in a voting link is a secret, even a throwaway one: keep it out of the results file.
      pages[name] = { path: pagePath.replace(/\/vote\/[^/]+$/, '/vote/<token>'), runs, median: med };
      console.log(`${name.padEnd(9)} ${keys.map((c) => `${c} ${med[c]}`).join(', ')}  (median of ${RUNS})`);
    }
  } finally {
    chrome.kill();
    await target.stop();
  }

  const meetsTargets = Object.values(pages).every(
    (p) =>
      p.median.performance >= TARGETS.performance &&
      p.median.accessibility >= TARGETS.accessibility &&
      p.median.cumulativeLayoutShift <= TARGETS.cumulativeLayoutShift,
  );
  const report = {
    benchmark: 'site-lighthouse',
    description: "Lighthouse scores and cumulative layout shift (mobile emulation, simulated throttling) of the event, recap and vote pages and an artist's dashboard, median of runs",
    lighthouse: '12.2.3',
    chromium: CHROMIUM_PATH,
    runs: RUNS,
    targets: TARGETS,
    meetsTargets,
    measuredAt: new Date().toISOString(),
    pages,
  };
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${meetsTargets ? 'meets' : 'MISSES'} the targets (performance ≥ ${TARGETS.performance}, accessibility ${TARGETS.accessibility}, layout shift ${TARGETS.cumulativeLayoutShift}); wrote ${path.relative(process.cwd(), OUTPUT)}`);
  process.exit(meetsTargets ? 0 : 1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
