import http from 'http';
import zlib from 'zlib';
import type { AddressInfo } from 'net';

export type ReceivedEnvelope = { header: Record<string, unknown>; items: { type: string; payload: unknown }[]; raw: string };

/**
 * A local server that accepts what Sentry's SDK sends to its envelope endpoint
 * (`POST /api/<project>/envelope/`, newline-delimited JSON, gzipped when large) and keeps it, for
 * tests to count events and read what left the process. `dsn` is what SENTRY_DSN should be.
 */
export async function startSentryReceiver() {
  const envelopes: ReceivedEnvelope[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/api\/\d+\/envelope\/?$/.test((req.url ?? '').split('?')[0])) {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      const raw = body.toString('utf8');
      const lines = raw.split('\n');
      const header = JSON.parse(lines[0] || '{}');
      const items: ReceivedEnvelope['items'] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        if (!lines[i]) continue;
        const itemHeader = JSON.parse(lines[i]) as { type: string };
        let payload: unknown = lines[i + 1];
        try {
          payload = JSON.parse(lines[i + 1]);
        } catch {
          // an attachment: kept as text
        }
        items.push({ type: itemHeader.type, payload });
      }
      envelopes.push({ header, items, raw });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/42`,
    envelopes,
    /** Error events received (not sessions or client reports). */
    events: () => envelopes.flatMap((envelope) => envelope.items.filter((item) => item.type === 'event').map((item) => item.payload as Record<string, unknown>)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
