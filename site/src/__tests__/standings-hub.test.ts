import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createStandingsHub, parseSseBlock, type HubMessage } from '../lib/standings-hub';

/** A stand-in for the CMS's leaderboard stream: counts connections, lets the test push messages. */
async function fakeUpstream({ status = 200 } = {}) {
  const streams = new Set<ServerResponse>();
  let connections = 0;
  const server = createServer((req, res) => {
    connections++;
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"data":null}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('retry: 2000\n\n');
    res.write(`event: standings\ndata: ${JSON.stringify({ totalVotes: 0 })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get connections() {
      return connections;
    },
    get open() {
      return streams.size;
    },
    push(totalVotes: number) {
      for (const res of streams) res.write(`: ping\n\nevent: standings\ndata: ${JSON.stringify({ totalVotes })}\n\n`);
    },
    dropAll() {
      for (const res of streams) res.destroy();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean, timeoutMs = 3_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const totals = (messages: HubMessage[]) =>
  messages.filter((m) => m.type === 'standings').map((m) => JSON.parse((m as { data: string }).data).totalVotes);

describe('standings hub', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('parses server-sent event blocks', () => {
    expect(parseSseBlock('event: standings\ndata: {"a":1}')).toEqual({ event: 'standings', data: '{"a":1}' });
    expect(parseSseBlock(': ping')).toBeUndefined();
    expect(parseSseBlock('data: a\ndata: b')).toEqual({ event: 'message', data: 'a\nb' });
  });

  it('shares one upstream stream among viewers and replays the last standings to newcomers', async () => {
    const upstream = await fakeUpstream();
    cleanups.push(upstream.close);
    const hub = createStandingsHub({ upstreamUrl: () => upstream.url, idleCloseMs: 50 });
    cleanups.push(hub.closeAll);

    const first: HubMessage[] = [];
    const second: HubMessage[] = [];
    const stopFirst = hub.subscribe('summer', (m) => first.push(m));
    await until(() => totals(first).length === 1);
    const stopSecond = hub.subscribe('summer', (m) => second.push(m));
    expect(totals(second)).toEqual([0]);

    upstream.push(3);
    await until(() => totals(second).length === 2);
    expect(totals(first)).toEqual([0, 3]);
    expect(totals(second)).toEqual([0, 3]);
    expect(upstream.connections).toBe(1);

    stopFirst();
    stopSecond();
    await until(() => upstream.open === 0 && hub.size === 0);
  });

  it('tells viewers when the upstream drops, then reconnects', async () => {
    const upstream = await fakeUpstream();
    cleanups.push(upstream.close);
    const hub = createStandingsHub({ upstreamUrl: () => upstream.url, minRetryMs: 20 });
    cleanups.push(hub.closeAll);

    const messages: HubMessage[] = [];
    hub.subscribe('summer', (m) => messages.push(m));
    await until(() => upstream.open === 1);
    upstream.dropAll();
    await until(() => messages.some((m) => m.type === 'unavailable'));
    await until(() => upstream.connections === 2 && upstream.open === 1);
    upstream.push(7);
    await until(() => totals(messages).includes(7));
  });

  it('says "hidden" when the CMS refuses to show the results', async () => {
    const upstream = await fakeUpstream({ status: 404 });
    cleanups.push(upstream.close);
    const hub = createStandingsHub({ upstreamUrl: () => upstream.url });
    cleanups.push(hub.closeAll);

    const messages: HubMessage[] = [];
    hub.subscribe('private-event', (m) => messages.push(m));
    await until(() => messages.length > 0);
    expect(messages).toEqual([{ type: 'hidden' }]);
  });
});
