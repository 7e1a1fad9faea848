import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsError, CmsUnreachableError } from '../lib/cms';
import { listLiveAndUpcomingEvents, type CmsEvent } from '../lib/content';

function event(overrides: Partial<CmsEvent> & Pick<CmsEvent, 'id' | 'title' | 'phase' | 'starts_at'>): CmsEvent {
  return {
    documentId: `doc${overrides.id}`,
    slug: `event-${overrides.id}`,
    description: null,
    venue: 'Venue',
    city: 'City',
    ends_at: null,
    timezone: 'UTC',
    keyword: null,
    capacity: null,
    results_visibility: 'public',
    ...overrides,
  };
}

// Sorted by starts_at ascending, as the CMS would return them: the live event is not first.
const payload = {
  data: [
    event({ id: 2, title: 'Battle of the Bands: Autumn Finals', phase: 'scheduled', starts_at: '2020-01-01T19:00:00.000Z', keyword: 'BANDS' }),
    event({ id: 3, title: 'Later Show', phase: 'scheduled', starts_at: '2020-03-01T19:00:00.000Z' }),
    event({ id: 1, title: 'Ovation Live: Summer Showcase', phase: 'live', starts_at: '2020-06-01T19:00:00.000Z', keyword: 'DEMO' }),
  ],
  meta: { pagination: { page: 1, pageSize: 100, pageCount: 1, total: 3 } },
};

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

describe('cms client', () => {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const { pathname } = new URL(req.url ?? '/', 'http://cms.test');
    if (pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: null, error: { status: 404, name: 'NotFoundError' } }));
    }
  });
  let baseUrl = '';

  beforeAll(async () => {
    baseUrl = await listen(server);
  });

  afterAll(async () => {
    await close(server);
  });

  it('returns live events first, then upcoming ones by start time', async () => {
    const events = await listLiveAndUpcomingEvents('es', { baseUrl });

    expect(events.map((e) => [e.title, e.phase])).toEqual([
      ['Ovation Live: Summer Showcase', 'live'],
      ['Battle of the Bands: Autumn Finals', 'scheduled'],
      ['Later Show', 'scheduled'],
    ]);
  });

  it('asks the CMS for the locale and the live/scheduled status filter', async () => {
    requests.length = 0;
    await listLiveAndUpcomingEvents('en', { baseUrl });

    // The page's own locale, then the others, for events not translated into it yet.
    const urls = requests.map((request) => new URL(request.url!, 'http://cms.test'));
    expect(urls.map((url) => url.searchParams.get('locale'))).toEqual(['en', 'es']);
    for (const url of urls) {
      expect(url.pathname).toBe('/api/events');
      expect(url.searchParams.get('sort')).toBe('starts_at:asc');
      expect(url.searchParams.get('filters[phase][$in][0]')).toBe('live');
      expect(url.searchParams.get('filters[phase][$in][1]')).toBe('scheduled');
    }
  });

  it('reads CMS_URL from the environment at call time', async () => {
    const previous = process.env.CMS_URL;
    process.env.CMS_URL = `${baseUrl}/`;
    try {
      const events = await listLiveAndUpcomingEvents('en');
      expect(events).toHaveLength(3);
    } finally {
      if (previous === undefined) delete process.env.CMS_URL;
      else process.env.CMS_URL = previous;
    }
  });

  it('fails with a clear error when the CMS is unreachable', async () => {
    // Grab a free port, then close it so nothing is listening there.
    const closed = createServer();
    const deadUrl = await listen(closed);
    await close(closed);

    const attempt = listLiveAndUpcomingEvents('en', { baseUrl: deadUrl, timeoutMs: 2_000 });

    await expect(attempt).rejects.toBeInstanceOf(CmsUnreachableError);
    await expect(attempt).rejects.toBeInstanceOf(CmsError);
    await expect(attempt).rejects.toThrow(`CMS unreachable at ${deadUrl}`);
  });

  it('fails with a clear error when the CMS does not answer in time', async () => {
    const silent = createServer(() => {
      /* never responds */
    });
    const silentUrl = await listen(silent);
    try {
      await expect(listLiveAndUpcomingEvents('en', { baseUrl: silentUrl, timeoutMs: 100 })).rejects.toThrow(
        /CMS unreachable at .* \(timed out after 100 ms\)/,
      );
    } finally {
      silent.closeAllConnections();
      await close(silent);
    }
  });
});
