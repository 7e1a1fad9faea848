import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentRound, getEvent, resultsArePublic, textLang, type CmsRound } from '../lib/content';

/** A CMS serving one event in English and Spanish ("night") and one in English only ("solo"). */
function fakeCms(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cms.test');
    const json = (data: unknown[]) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data, meta: {} }));
    };
    const locale = url.searchParams.get('locale');
    const slug = url.searchParams.get('filters[slug][$eq]');
    const programme = url.searchParams.has('populate[rounds][sort]') && url.searchParams.get('populate[lineup][populate][artist][populate]') === 'avatar';
    const event = (title: string) => ({
      id: 2,
      documentId: `ev-${slug}`,
      locale,
      slug,
      title,
      ...(programme && {
        rounds: [{ id: 1, number: 1, state: 'open' }],
        lineup: [
          { id: 3, vote_code: '10', order: 1, artist: { name: 'B', slug: 'b' } },
          { id: 4, vote_code: '2', order: 1, artist: { name: 'A', slug: 'a' } },
          { id: 5, vote_code: '3', order: 0, artist: null },
        ],
      }),
    });
    switch (url.pathname) {
      case '/api/events':
        if (slug === 'night') return json([event(locale === 'es' ? 'Noche' : 'Night')]);
        if (slug === 'solo' && locale === 'en') return json([event('Solo night')]);
        return json([]);
      case '/api/posts':
        return json(url.searchParams.get('filters[event][slug][$eq]') === 'night' && locale === 'es' ? [{ id: 9, slug: 'story', title: 'Historia' }] : []);
      default:
        return json([]);
    }
  });
}

describe('event content', () => {
  const server = fakeCms();
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads an event with its rounds and lineup populated, the lineup in order, and its posts in the page language', async () => {
    const event = await getEvent('es', 'night', { baseUrl });
    expect(event?.title).toBe('Noche');
    expect(textLang(event, 'es')).toBeUndefined();
    expect(event?.rounds.map((r) => r.number)).toEqual([1]);
    expect(event?.lineup.map((e) => e.vote_code)).toEqual(['2', '10']);
    expect(event?.posts.map((p) => p.slug)).toEqual(['story']);
  });

  it('shows an event that has no Spanish text yet in English, marked as English', async () => {
    const event = await getEvent('es', 'solo', { baseUrl });
    expect(event?.title).toBe('Solo night');
    expect(textLang(event, 'es')).toBe('en');
    expect(event?.lineup).toHaveLength(2);
  });

  it('is null for an event the CMS does not publish', async () => {
    expect(await getEvent('en', 'missing', { baseUrl })).toBeNull();
  });

  it('features the open round, else the next one, else the last', () => {
    const round = (number: number, state: CmsRound['state']) => ({ number, state }) as CmsRound;
    expect(currentRound([round(1, 'closed'), round(2, 'open'), round(3, 'pending')])?.number).toBe(2);
    expect(currentRound([round(1, 'closed'), round(2, 'pending')])?.number).toBe(2);
    expect(currentRound([round(1, 'closed'), round(2, 'closed')])?.number).toBe(2);
  });

  it('shows results as the event says: public, after close, or never', () => {
    expect(resultsArePublic({ results_visibility: 'public', phase: 'live' })).toBe(true);
    expect(resultsArePublic({ results_visibility: 'after_close', phase: 'live' })).toBe(false);
    expect(resultsArePublic({ results_visibility: 'after_close', phase: 'closed' })).toBe(true);
    expect(resultsArePublic({ results_visibility: 'private', phase: 'archived' })).toBe(false);
  });
});

describe('ranking', () => {
  it('gives tied entries the same rank and finds every leader', async () => {
    const { leaders, rankEntries } = await import('../lib/ranking');
    const entries = [
      { code: 'a', votes: 1 },
      { code: 'b', votes: 3 },
      { code: 'c', votes: 3 },
      { code: 'd', votes: 0 },
    ];
    expect(rankEntries(entries).map((e) => [e.code, e.rank])).toEqual([
      ['b', 1],
      ['c', 1],
      ['a', 3],
      ['d', 4],
    ]);
    expect(leaders(entries).map((e) => e.code)).toEqual(['b', 'c']);
    expect(leaders([{ votes: 0 }, { votes: 0 }])).toEqual([]);
  });
});
