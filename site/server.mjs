// The site's production server: Astro's built handler (dist/server/entry.mjs), behind the fan's own
// address. Astro takes a request's client address from the first X-Forwarded-For entry, which any
// client can write; the site passes that address on to the cms, whose per-fan limits count it. So
// the header is replaced here by the address this server saw itself: the socket's peer, or, behind
// a load balancer (TRUST_PROXY=true), the entry the last TRUST_PROXY_HOPS proxies vouch for.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The client's address: what the nearest `hops` proxies recorded when trusted, else the peer's. */
export function clientAddress(peer, forwardedFor, { trustProxy = false, hops = 1 } = {}) {
  if (!trustProxy || !forwardedFor) return peer ?? '';
  const chain = String(forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Like Koa's maxIpsCount: of the last `hops` entries (the proxies' own), the first is the client.
  return chain.slice(-Math.max(1, hops))[0] ?? peer ?? '';
}

export function proxySettings(env = process.env) {
  return { trustProxy: env.TRUST_PROXY === 'true', hops: Number.parseInt(env.TRUST_PROXY_HOPS ?? '', 10) || 1 };
}

/** Wraps Astro's handler so that every request carries the address this server vouches for. */
export function withClientAddress(handler, settings = proxySettings()) {
  return (req, res) => {
    req.headers['x-forwarded-for'] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], settings);
    handler(req, res);
  };
}

async function main() {
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist', 'server', 'entry.mjs');
  const { handler } = await import(entry);
  const listener = withClientAddress(handler);
  const { SERVER_CERT_PATH: cert, SERVER_KEY_PATH: key } = process.env;
  const server = cert && key ? https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, listener) : http.createServer(listener);
  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? 'localhost';
  server.listen(port, host, () => console.log(`[site] listening on ${cert && key ? 'https' : 'http'}://${host}:${port}`));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      server.close(() => process.exit(0));
      // Live streams never end by themselves.
      server.closeAllConnections();
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
