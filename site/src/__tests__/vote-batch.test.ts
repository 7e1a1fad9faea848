/**
 * Votes fans make in the same moment reach the CMS as one batch, and each fan gets their own vote's
 * answer; a batch the CMS refuses or never answers is every fan's "try again". Against a local
 * server that speaks the batch route's contract.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { servingFan } from '../lib/fan-context';
import { castVote } from '../lib/voting';

type Batch = { url: string; siteToken: string | undefined; clientAddress: string | undefined; votes: { token: string; choice: string; address: string }[] };

describe('web votes in batches', () => {
  const batches: Batch[] = [];
  let answer: (batch: Batch) => { status: number; body: unknown; headers?: Record<string, string> } = () => ({ status: 500, body: null });
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const batch = {
        url: req.url ?? '',
        siteToken: req.headers['x-ovation-site-token'] as string | undefined,
        clientAddress: req.headers['x-ovation-client-address'] as string | undefined,
        votes: JSON.parse(text).votes,
      };
      batches.push(batch);
      const { status, body, headers } = answer(batch);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    });
  });
  const saved = { CMS_URL: process.env.CMS_URL, SITE_TOKEN: process.env.SITE_TOKEN };
  const token = (n: number) => `${'t'.repeat(23)}${n}`;
  const receipt = (code: string) => ({ round: { number: 1 }, choice: { code, artist: null }, createdAt: '2026-12-04T20:00:00.000Z' });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.CMS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.SITE_TOKEN = 'the-site-token';
  });
  afterAll(async () => {
    Object.assign(process.env, saved);
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => void (batches.length = 0));

  it("sends the moment's votes together, each with its fan's address, and answers each fan with their own outcome", async () => {
    answer = (batch) => ({
      status: 200,
      body: {
        data: batch.votes.map((vote) =>
          vote.choice === '9'
            ? { status: 400, error: { status: 400, name: 'ValidationError', message: 'Unknown choice', details: {} } }
            : vote.token === token(3)
              ? { status: 429, error: { status: 429, name: 'RateLimitError', message: 'Too many requests', details: {} }, retryAfter: 30 }
              : { status: 201, data: receipt(vote.choice) }
        ),
      },
    });
    const results = await Promise.all([
      servingFan({ address: '203.0.113.1' }, () => castVote(token(1), '2')),
      servingFan({ address: '203.0.113.2' }, () => castVote(token(2), '9')),
      servingFan({ address: '203.0.113.3' }, () => castVote(token(3), '1')),
    ]);
    expect(results).toEqual([
      { ok: true, receipt: receipt('2') },
      { ok: false, problem: 'choice' },
      { ok: false, problem: 'rateLimited', retryAfter: '30' },
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual({
      url: '/api/sms-voting/votes/batch',
      siteToken: 'the-site-token',
      // The request is the site's own: no one fan's address on it, each vote carries its own.
      clientAddress: undefined,
      votes: [
        { token: token(1), choice: '2', address: '203.0.113.1' },
        { token: token(2), choice: '9', address: '203.0.113.2' },
        { token: token(3), choice: '1', address: '203.0.113.3' },
      ],
    });
  });

  it('gives every fan in a refused batch the refusal, and a batch that never arrives is "unavailable"', async () => {
    answer = () => ({ status: 503, body: { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Live services are briefly unavailable' } }, headers: { 'retry-after': '5' } });
    const refused = await Promise.all([1, 2].map((n) => servingFan({ address: `203.0.113.${n}` }, () => castVote(token(n), '1'))));
    expect(refused).toEqual([
      { ok: false, problem: 'unavailable', retryAfter: '5' },
      { ok: false, problem: 'unavailable', retryAfter: '5' },
    ]);
    process.env.CMS_URL = 'http://127.0.0.1:9';
    expect(await servingFan({ address: '203.0.113.9' }, () => castVote(token(9), '1'))).toEqual({ ok: false, problem: 'unavailable' });
    process.env.CMS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  it('sends no more than 100 votes in one request', async () => {
    answer = (batch) => ({ status: 200, body: { data: batch.votes.map((vote) => ({ status: 201, data: receipt(vote.choice) })) } });
    const results = await Promise.all(Array.from({ length: 150 }, (_, n) => servingFan({ address: '203.0.113.7' }, () => castVote(token(n), '1'))));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(batches.map((batch) => batch.votes.length)).toEqual([100, 50]);
  });
});
