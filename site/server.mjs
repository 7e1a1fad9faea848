// The site's production server: Astro's built handler (dist/server/entry.mjs, the adapter's
// middleware mode), the build's client files and its lanes (dist/lanes.mjs: the vote endpoint,
// src/lanes/votes.ts), behind the fan's own address.
//
// Astro takes a request's client address from the first X-Forwarded-For entry, which any client can
// write; the site passes that address on to the cms, whose per-fan limits count it. So the header is
// replaced here by the address this server saw itself: the socket's peer, or, behind a load balancer
// (TRUST_PROXY=true), the entry the last TRUST_PROXY_HOPS proxies vouch for.
//
// The client files (dist/client: Astro's hashed assets and public/) are listed once at start, so only
// a request for one of them reaches the disk: the adapter's standalone mode looks every request up
// there first, two failed stat calls for each page and each fan's vote.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import send from 'send';

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

/** Wraps a handler so that every request carries the address this server vouches for. */
export function withClientAddress(handler, settings = proxySettings()) {
  return (req, res) => {
    req.headers['x-forwarded-for'] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], settings);
    handler(req, res);
  };
}

/** Every file under `clientDir` by the URL path that serves it; a folder's index.html also by the folder's path. */
export function clientFiles(clientDir) {
  const files = new Map();
  const walk = (dir, prefix) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const urlPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), urlPath);
      else files.set(urlPath, urlPath);
    }
    if (files.has(`${prefix}/index.html`)) {
      files.set(prefix || '/', `${prefix}/index.html`);
      files.set(`${prefix}/`, `${prefix}/index.html`);
    }
  };
  if (fs.existsSync(clientDir)) walk(clientDir, '');
  return files;
}

/**
 * Serves the build: a lane's route from its lane (dist/lanes.mjs, from src/lanes/: the vote
 * endpoint, answered without Astro's per-request machinery), a client file as the adapter's
 * standalone mode would (`send`, a year's immutable caching for the hashed assets under /_astro/),
 * anything else through Astro. A URL that does not decode is a 400, as there.
 */
export function createListener(astroHandler, clientDir, files = clientFiles(clientDir), lanes = {}) {
  return (req, res) => {
    const urlPath = (req.url ?? '/').split(/[?#]/, 1)[0];
    let decoded;
    try {
      decoded = decodeURI(urlPath);
    } catch {
      res.writeHead(400);
      res.end('Bad request.');
      return;
    }
    const lane = lanes[`${req.method} ${decoded}`];
    if (lane) {
      lane(req, res).catch((err) => {
        console.error(`[site] ${req.method} ${decoded} failed:`, err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal server error');
      });
      return;
    }
    const file = files.get(decoded);
    if (!file) return astroHandler(req, res);
    let opened = false;
    send(req, encodeURI(file), { root: clientDir, dotfiles: file.startsWith('/.well-known/') ? 'allow' : 'deny' })
      .on('headers', (response) => {
        if (file.startsWith('/_astro/')) response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      })
      .on('file', () => (opened = true))
      // Gone since the start (a deploy in place): Astro answers, as for any other path.
      .on('error', (err) => {
        if (!opened) return astroHandler(req, res);
        res.statusCode = err.status ?? 500;
        res.end();
      })
      .pipe(res);
  };
}

async function main() {
  const root = path.dirname(fileURLToPath(import.meta.url));
  const { handler } = await import(path.join(root, 'dist', 'server', 'entry.mjs'));
  const { lanes } = await import(path.join(root, 'dist', 'lanes.mjs'));
  const clientDir = path.join(root, 'dist', 'client');
  const listener = withClientAddress(createListener(handler, clientDir, clientFiles(clientDir), lanes));
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
