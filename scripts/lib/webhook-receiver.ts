import http from 'http';
import type { AddressInfo } from 'net';
import { Webhook } from 'standardwebhooks';

/** One delivery as a partner's endpoint saw it, checked with the `standardwebhooks` package. */
export type ReceivedWebhook = {
  path: string;
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** Which of the endpoint's known secrets `standardwebhooks` accepted the delivery with. */
  verifiedWith: string[];
  at: number;
};

export type Answer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

/**
 * A partner's webhook endpoint on 127.0.0.1: every POST is verified with the `standardwebhooks`
 * package (an implementation Ovation did not write) against each secret the test told it, and kept.
 * Each path answers 204 unless the test scripts its answers (`answer`), one per request or for all.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const secrets = new Map<string, string[]>();
  const scripted = new Map<string, Answer[]>();
  const always = new Map<string, Answer>();
  const waiters: (() => void)[] = [];

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://receiver.local').pathname;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
      const verifiedWith = (secrets.get(path) ?? []).filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      received.push({ path, id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), signature: headers['webhook-signature'], body, verifiedWith, at: Date.now() });
      waiters.splice(0).forEach((wake) => wake());
      const answer = scripted.get(path)?.shift() ?? always.get(path) ?? { status: 204 };
      const reply = () => res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    /** The allowlist entry (`WEBHOOKS_ALLOW_HOSTS`) that lets deliveries reach this receiver. */
    host: `127.0.0.1:${port}`,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path: string) => received.filter((delivery) => delivery.path === path),
    /** The secrets deliveries to `path` are verified with. */
    trust(path: string, ...keys: string[]) {
      secrets.set(path, keys);
    },
    /** The next answers of `path`, one per request, then 204 (or what `answerAlways` says). */
    answer(path: string, ...answers: Answer[]) {
      scripted.set(path, [...(scripted.get(path) ?? []), ...answers]);
    },
    answerAlways(path: string, answer: Answer | null) {
      if (answer) always.set(path, answer);
      else always.delete(path);
    },
    /** Waits until `path` got `count` deliveries. */
    async waitFor(path: string, count: number, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (received.filter((delivery) => delivery.path === path).length < count) {
        if (Date.now() > deadline) throw new Error(`${path}: ${received.filter((d) => d.path === path).length} of ${count} deliveries in ${ms} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received.filter((delivery) => delivery.path === path);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
