/**
 * The venue's big screen over a simulated night: the screen view of the demo's live event in Debian's
 * Chromium, fed 36,000 leaderboard updates (an update every 100 ms for an hour) through the real
 * site, with a round closing on its winner and the next opening every 6,000. The browser's memory
 * (JavaScript heap after a full garbage collection, and the DOM's nodes and listeners) is read after
 * a warm-up and along the way; the target is the heap flat within 20 MB. The site's own memory is
 * reported beside it. Writes bench/results/site-screen-memory.json.
 *
 *   npx tsx site/scripts/screen-memory.ts
 *
 * The updates come faster than the cms would send them (it coalesces a round's votes into one update
 * per 150 ms): the site is pointed at a relay that forwards everything to a real cms except the
 * event's live stream, which it writes itself at SCREEN_UPDATES_PER_SECOND (default 200). Options
 * (env): SCREEN_UPDATES (default 36000), CHROMIUM_PATH.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { launchChromium } from '../test/browser';
import { SITE_DIR, startSite } from '../test/site-server';
import type { Standings } from '../src/lib/vote-types';

const OUTPUT = path.join(SITE_DIR, '..', 'bench', 'results', 'site-screen-memory.json');
const UPDATES = Number(process.env.SCREEN_UPDATES) || 36_000;
const PER_SECOND = Number(process.env.SCREEN_UPDATES_PER_SECOND) || 200;
const ROUND_EVERY = 6_000;
const WARM_UP = 1_000;
const TARGET = { heapGrowthMB: 20 };
const SLUG = 'summer-showcase';
const STREAM_PATH = `/api/sms-voting/events/${SLUG}/leaderboard/stream`;

type Sample = { updates: number; heapMB: number; domNodes: number; listeners: number; siteRssMB: number };

/** The night's standings after `n` updates: one vote at a time, a new round every ROUND_EVERY. */
function standingsAt(first: Standings, n: number): Standings {
  const round = Math.floor(n / ROUND_EVERY);
  const inRound = n % ROUND_EVERY;
  const closing = inRound === ROUND_EVERY - 1;
  const entries = first.entries.map((entry, i) => ({
    ...entry,
    // Uneven shares so the order changes as the round goes on.
    votes: Math.floor((inRound * (i + 1 + ((round + i) % 3))) / (first.entries.length * 2)),
  }));
  entries.sort((a, b) => b.votes - a.votes);
  return {
    ...first,
    round: { number: round + 1, title: null, state: closing ? 'closed' : 'open' },
    entries,
    totalVotes: entries.reduce((sum, entry) => sum + entry.votes, 0),
    updatedAt: new Date().toISOString(),
  };
}

/** A relay in front of the cms: everything forwarded, except the live stream, written here. */
function startRelay(cmsUrl: string, first: Standings) {
  const upstream = new URL(cmsUrl);
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith(STREAM_PATH)) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write(`event: standings\ndata: ${JSON.stringify(standingsAt(first, 0))}\n\n`);
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  return new Promise<{ url: string; send(n: number): void; streams(): number; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        send: (n) => {
          const frame = `event: standings\ndata: ${JSON.stringify(standingsAt(first, n))}\n\n`;
          for (const res of streams) res.write(frame);
        },
        streams: () => streams.size,
        close: () =>
          new Promise((done) => {
            for (const res of streams) res.end();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const rssMB = (pid: number) => {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Math.round(Number(line[1]) / 102.4) / 10 : NaN;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const { startStandaloneCms } = await import('../test/standalone-cms');
  const cms = await startStandaloneCms();
  const stops: (() => Promise<unknown>)[] = [cms.stop];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const answer = await fetch(`${cms.url}/api/sms-voting/events/${SLUG}/leaderboard`);
    if (!answer.ok) throw new Error(`no standings for ${SLUG}: ${answer.status}`);
    const first = ((await answer.json()) as { data: Standings }).data;
    const relay = await startRelay(cms.url, first);
    stops.push(relay.close);
    const site = await startSite(relay.url, { NODE_ENV: 'production' });
    stops.push(site.stop);
    const browser = await launchChromium();
    stops.push(() => browser.close());

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    // Counts what the page's own stream delivers, so the run waits for the screen to have seen everything.
    await page.addInitScript(() => {
      const Native = window.EventSource;
      const seen = { standings: 0 };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          this.addEventListener('standings', () => (seen.standings += 1));
        }
      };
    });
    await page.goto(`${site.url}/events/${SLUG}/screen`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    const cdp = await context.newCDPSession(page);
    const seen = () => page.evaluate(() => (window as unknown as { __seen: { standings: number } }).__seen.standings);

    const samples: Sample[] = [];
    const sample = async (updates: number) => {
      // Everything sent so far has reached the page, and the screen has painted it.
      const deadline = Date.now() + 60_000;
      while ((await seen()) < updates + 1 && Date.now() < deadline) await sleep(100);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const dom = await cdp.send('Memory.getDOMCounters');
      const taken = { updates, heapMB: Math.round(usedSize / 104857.6) / 10, domNodes: dom.nodes, listeners: dom.jsEventListeners, siteRssMB: rssMB(site.pid) };
      samples.push(taken);
      console.log(`${String(updates).padStart(6)} updates: heap ${taken.heapMB} MB, ${taken.domNodes} DOM nodes, ${taken.listeners} listeners; site RSS ${taken.siteRssMB} MB`);
    };

    const started = Date.now();
    for (let n = 1; n <= UPDATES; n += 1) {
      relay.send(n);
      if (n % PER_SECOND === 0) {
        const due = started + (n / PER_SECOND) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      if (n === WARM_UP || n % ROUND_EVERY === 0) await sample(n);
    }
    const received = await seen();
    const shown = await page.locator('.screen-total, [data-testid="screen-total"]').first().textContent().catch(() => null);

    const baseline = samples[0]!;
    const last = samples[samples.length - 1]!;
    const growthMB = Math.round((last.heapMB - baseline.heapMB) * 10) / 10;
    const peakGrowthMB = Math.round((Math.max(...samples.map((s) => s.heapMB)) - baseline.heapMB) * 10) / 10;
    const meetsTargets = received >= UPDATES + 1 && Math.abs(growthMB) <= TARGET.heapGrowthMB && peakGrowthMB <= TARGET.heapGrowthMB;
    const report = {
      benchmark: 'site-screen-memory',
      description: `The screen view (1920×1080) of ${SLUG} fed ${UPDATES} leaderboard updates through the site at ${PER_SECOND}/s, a round closing and the next opening every ${ROUND_EVERY}; heap after a full GC`,
      chromium: browser.version(),
      updates: UPDATES,
      updatesPerSecond: PER_SECOND,
      updatesSeenByThePage: received,
      totalShownAtTheEnd: shown,
      durationSeconds: Math.round((Date.now() - started) / 100) / 10,
      targets: TARGET,
      heapGrowthMB: growthMB,
      peakHeapGrowthMB: peakGrowthMB,
      meetsTargets,
      measuredAt: new Date().toISOString(),
      samples,
    };
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `${meetsTargets ? 'meets' : 'MISSES'} the target (heap flat within ${TARGET.heapGrowthMB} MB): grew ${growthMB} MB (peak ${peakGrowthMB}) over ${UPDATES} updates, ${received} seen; wrote ${path.relative(process.cwd(), OUTPUT)}`
    );
    await stopAll();
    process.exit(meetsTargets ? 0 : 1);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
