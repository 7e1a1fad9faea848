/**
 * Per-client budgets as an outside client meets them: a cms process of its own with the default
 * budgets, behind a load balancer as in Kubernetes (TRUST_PROXY=true, one hop), and the built site
 * in front of it with its site token. Fans are told apart by the loopback address they connect
 * from (127.0.0.x), as the site's server sees them.
 */
import http from 'node:http';
import Redis from 'ioredis';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../cms/src/seed';
import { TEST_BUDGETS } from '../../../cms/test/environment';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { startCms, type CmsProcess } from '../../../scripts/lib/cms-process';
import { freePort } from '../../../scripts/lib/ports';
import { createLiveEvent, type TestEvent } from '../../test/fixtures';
import { startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One HTTP request from a given local address (and so, to a server here, from that client). */
function request(from: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress: from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

type Stream = { status: number; headers: http.IncomingHttpHeaders; close: () => void };

/** Opens a server-sent-events stream; resolves at its first standings, or with the refusal. */
function openStream(from: string, url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, localAddress: from }, (res) => {
      const close = () => req.destroy();
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, close }));
        return;
      }
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('event: standings')) resolve({ status: 200, headers: res.headers, close });
      });
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    req.setTimeout(15_000, () => reject(new Error(`no standings from ${url} in 15 s`)));
  });
}

/** Runs `count` calls `width` at a time, in order of issue. */
async function inBatches<T>(count: number, width: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => call(start + k)))));
  }
  return results;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('fair budgets per client', () => {
  let app: Core.Strapi;
  let cms: CmsProcess;
  let site: RunningSite;
  let night: TestEvent;
  /** What the load balancer in front of the cms appends for a client: the address it saw. */
  const behindBalancer = (client: string, forged = `203.0.113.${Math.floor(Math.random() * 250)}`) => ({ 'x-forwarded-for': `${forged}, ${client}` });

  beforeAll(async () => {
    app = await bootStrapi();
    await seedDemo(app);
    night = await createLiveEvent(app, ['luna-vega', 'the-midnight-owls', 'dj-kairo']);
    // The budgets the shared test app lifts are back to their defaults here.
    const settings = {
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '1',
      SERVE_ADMIN: 'false',
      SMS_VOTING_SCHEDULE_INTERVAL_MS: '0',
      // Budgets of their own in Redis, so the shared test app's traffic does not count.
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:budgets`,
      // Smaller than the default 600 so a page-reading fan runs out within the test.
      RATE_LIMIT_FAN_PER_MINUTE: '60',
      SMS_VOTING_STREAMS_PER_PROCESS: '15',
    };
    cms = await startCms(settings, await freePort(), { unset: TEST_BUDGETS });
    site = await startSite(cms.url, { NODE_ENV: 'production' });
  }, 240_000);

  afterAll(async () => {
    await site?.stop();
    await cms?.stop();
  });

  it('gives each anonymous client 300 requests a minute over REST and GraphQL, then 429 with Retry-After at a small cost', async () => {
    const client = '198.51.100.1';
    const read = (i: number) =>
      i % 5 === 4
        ? request('127.0.0.2', `${cms.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...behindBalancer(client) },
            body: JSON.stringify({ query: '{ events { title } }' }),
          })
        : request('127.0.0.2', `${cms.url}/api/events?populate=*`, { headers: behindBalancer(client) });
    // Every request forges another first X-Forwarded-For entry: only the balancer's own counts.
    const served = await inBatches(300, 25, read);
    expect(served.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(served.at(-1)!.headers['ratelimit-limit']).toBe('300');

    const refusedAt: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const refused = await read(i);
      refusedAt.push(performance.now() - started);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.body).error).toMatchObject({ status: 429, name: 'RateLimitError' });
    }
    expect(median(refusedAt)).toBeLessThan(50);
    // Readiness asks PostgreSQL, Redis and S3: it is on the same budget.
    expect((await request('127.0.0.2', `${cms.url}/_ready`, { headers: behindBalancer(client) })).status).toBe(429);

    // Another client is served meanwhile.
    expect((await request('127.0.0.2', `${cms.url}/api/events?populate=*`, { headers: behindBalancer('198.51.100.2') })).status).toBe(200);
  });

  it('counts failed API tokens against the address that tries them', async () => {
    const guess = (i: number) =>
      request('127.0.0.2', `${cms.url}/api/events`, { headers: { authorization: `Bearer guess-${i}-${Date.now()}`, ...behindBalancer('198.51.100.3') } });
    const tries = await inBatches(300, 25, guess);
    expect(tries.every((r) => r.status === 401)).toBe(true);
    const after = await guess(301);
    expect(after.status).toBe(429);
    expect(after.headers['retry-after']).toBeTruthy();
  });

  it('lets another fan vote through the site while one client floods it with guesses and forged X-Forwarded-For', async () => {
    const reply = await textCms(await cmsUrl(), nextPhoneNumber(), night.keyword);
    const token = votingPathIn(reply)!.split('/').pop()!;

    const guesses = await inBatches(150, 15, (i) =>
      request('127.0.0.5', `${site.url}/api/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i % 250}` },
        body: JSON.stringify({ token: `guessed-token-${i}-abcdefgh`, choice: '1' }),
      }),
    );
    const statuses = guesses.map((r) => r.status);
    // The cms answers the first guesses (unknown token), then the fan's own budgets run out.
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(60);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(90);
    expect(guesses.find((r) => r.status === 429)!.headers['retry-after']).toBeTruthy();

    const vote = await request('127.0.0.6', `${site.url}/api/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, choice: '2' }),
    });
    expect(vote.status, vote.body).toBe(201);
    expect(JSON.parse(vote.body)).toMatchObject({ ok: true });
  });

  it('gives each fan reading pages through the site a budget of their own', async () => {
    // Pages nobody else asked for (made-up events): each costs the cms a read, on this fan's budget.
    let last: Answer | undefined;
    for (let i = 0; i < 200 && last?.status !== 429; i++) last = await request('127.0.0.7', `${site.url}/events/made-up-${i}-${Date.now()}`);
    expect(last?.status).toBe(429);
    expect(last?.headers['retry-after']).toBeTruthy();

    const other = await request('127.0.0.8', `${site.url}/events/${night.slug}`);
    expect(other.status).toBe(200);
    expect(other.body).toContain(night.title.en);
  });

  it("serves a crowd behind one address (a venue's Wi-Fi): everyone opens the event page, their own link, and votes", async () => {
    const venue = '127.0.0.14';
    // 200 page loads at once, far past the per-fan budget of 60: the site reads the page's content once.
    const pages = await inBatches(200, 50, () => request(venue, `${site.url}/events/${night.slug}`));
    expect(pages.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);

    // 80 fans, each with their own link (the per-address limit counts guesses, not fans' own tokens).
    const tokens: string[] = [];
    for (let i = 0; i < 80; i++) tokens.push(votingPathIn(await textCms(await cmsUrl(), nextPhoneNumber(), night.keyword))!.split('/').pop()!);
    const ballots = await inBatches(80, 20, (i) => request(venue, `${site.url}/vote/${tokens[i]}`));
    expect(ballots.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const votes = await inBatches(80, 20, (i) =>
      request(venue, `${site.url}/api/votes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: tokens[i], choice: '1' }) }),
    );
    expect(votes.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  });

  it("spends the asking fan's budget on leaderboards nobody has asked for yet, not the site's", async () => {
    // A client asking for made-up events: each is a fresh request to the cms, on that client's budget.
    let last: Answer | undefined;
    for (let i = 0; i < 100 && last?.status !== 429; i++) last = await request('127.0.0.12', `${site.url}/api/leaderboard/made-up-${i}-${Date.now()}`);
    expect(last?.status).toBe(429);
    expect(last?.headers['retry-after']).toBeTruthy();

    // The site's own budget is untouched: another fan's board loads.
    const board = await request('127.0.0.13', `${site.url}/api/leaderboard/${night.slug}`);
    expect(board.status, board.body).toBe(200);
    expect(JSON.parse(board.body).data.entries.length).toBe(3);
  });

  it('caps live streams per client and per process, and the site shares one upstream per leaderboard', async () => {
    const direct = `${cms.url}/api/sms-voting/events/${night.slug}/leaderboard/stream`;
    const mine = await inBatches(10, 10, () => openStream('127.0.0.2', direct, behindBalancer('198.51.100.20')));
    expect(mine.map((s) => s.status)).toEqual(Array(10).fill(200));
    const eleventh = await openStream('127.0.0.2', direct, behindBalancer('198.51.100.20'));
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers['retry-after']).toBeTruthy();

    // A closed stream gives its place back.
    mine.pop()!.close();
    await expect.poll(async () => {
      const again = await openStream('127.0.0.2', direct, behindBalancer('198.51.100.20'));
      if (again.status === 200) mine.push(again);
      return again.status;
    }, { timeout: 20_000 }).toBe(200);

    // 15 in all on this cms: a second client has five.
    const theirs = await inBatches(5, 5, () => openStream('127.0.0.2', direct, behindBalancer('198.51.100.21')));
    expect(theirs.map((s) => s.status)).toEqual(Array(5).fill(200));
    expect((await openStream('127.0.0.2', direct, behindBalancer('198.51.100.21'))).status).toBe(429);
    for (const stream of [...mine, ...theirs]) stream.close();

    // Thirty viewers on the site cost the cms one stream: all get standings under a cap of 15.
    const viaSite = `${site.url}/api/leaderboard/${night.slug}/stream`;
    await expect.poll(async () => {
      const probe = await openStream('127.0.0.9', viaSite);
      probe.close();
      return probe.status;
    }, { timeout: 30_000 }).toBe(200);
    const viewers = [
      ...(await inBatches(20, 10, () => openStream('127.0.0.10', viaSite))),
      ...(await inBatches(10, 10, () => openStream('127.0.0.11', viaSite))),
    ];
    expect(viewers.map((s) => s.status)).toEqual(Array(30).fill(200));
    // The site caps its own streams per fan address too (20 by default); the page then polls.
    const extra = await openStream('127.0.0.10', viaSite);
    expect(extra.status).toBe(429);
    expect(extra.headers['retry-after']).toBeTruthy();
    for (const viewer of viewers) viewer.close();
  });

  it('keeps no client address in Redis, only keyed hashes of them', async () => {
    const redis = new Redis(process.env.REDIS_URL as string);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:budgets*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.some((key) => key.includes(':limit:requests:anonymous:'))).toBe(true);
      expect(keys.some((key) => key.includes(':limit:guessesPerIp:'))).toBe(true);
      // Values of the content cache are public API answers, whose media URLs name the uploads' host
      // (127.0.0.1 in tests): not a client's address. Their keys are still checked.
      const limits = keys.filter((key) => !key.includes(':content:'));
      const values = await Promise.all(limits.map(async (key) => ((await redis.type(key)) === 'string' ? await redis.get(key) : '')));
      expect([...keys, ...values].join('\n')).not.toMatch(/127\.0\.0\.\d+|198\.51\.100\.\d+|192\.0\.2\.\d+/);
    } finally {
      redis.disconnect();
    }
  });
});
