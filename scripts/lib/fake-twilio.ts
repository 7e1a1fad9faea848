import crypto from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';

export type ReceivedMessage = { sid: string; accountSid: string; to: string; from?: string; body: string; authorization?: string; dateCreated: string; statusCallback?: string };

/**
 * A local server speaking the part of Twilio's REST API the workers use, for the real twilio SDK to
 * talk to: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (send) and `GET` on the same path
 * (the message list, filtered by To and From, newest first).
 */
export async function startFakeTwilio() {
  const received: ReceivedMessage[] = [];
  let nextFailure: { status: number; code: number; message: string } | undefined;
  // Recipients whose sends are never answered (the request hangs), as a provider that went silent.
  const silentFor = new Set<string>();
  // Sends to those recipients in flight right now (a request closes when its sender dies).
  const hanging = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://twilio.local');
    const match = /^\/2010-04-01\/Accounts\/(\w+)\/Messages\.json$/.exec(url.pathname);
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (!match || (req.method !== 'POST' && req.method !== 'GET')) {
        res.writeHead(404).end(JSON.stringify({ code: 20404, message: 'Not found', status: 404 }));
        return;
      }
      if (req.method === 'GET') {
        const to = url.searchParams.get('To');
        const from = url.searchParams.get('From');
        const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
        const messages = received
          .filter((m) => m.accountSid === match[1] && (!to || m.to === to) && (!from || m.from === from))
          .reverse()
          .slice(0, pageSize)
          .map((m) => ({ sid: m.sid, account_sid: m.accountSid, to: m.to, from: m.from, body: m.body, status: 'sent', date_created: m.dateCreated }));
        res.writeHead(200).end(JSON.stringify({ messages, page: 0, page_size: pageSize, next_page_uri: null, uri: url.pathname }));
        return;
      }
      if (nextFailure) {
        const failure = nextFailure;
        nextFailure = undefined;
        res.writeHead(failure.status).end(JSON.stringify({ ...failure, more_info: 'https://www.twilio.com/docs/errors' }));
        return;
      }
      const form = new URLSearchParams(raw);
      const to = form.get('To') ?? '';
      if (silentFor.has(to)) {
        // Never answered: the request stays open until its sender gives up or dies.
        hanging.set(to, (hanging.get(to) ?? 0) + 1);
        res.on('close', () => hanging.set(to, (hanging.get(to) ?? 1) - 1));
        return;
      }
      const message = {
        // Unique across the servers of one run, as Twilio's are: status callbacks find messages by it.
        sid: `SM${crypto.randomBytes(16).toString('hex')}`,
        accountSid: match[1],
        to,
        from: form.get('From') ?? undefined,
        body: form.get('Body') ?? '',
        authorization: req.headers.authorization,
        dateCreated: new Date().toUTCString(),
        statusCallback: form.get('StatusCallback') ?? undefined,
      };
      received.push(message);
      res.writeHead(201).end(
        JSON.stringify({ sid: message.sid, account_sid: message.accountSid, to, from: message.from, body: message.body, status: 'queued', num_segments: '1', date_created: message.dateCreated })
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** How many messages each recipient got. */
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const message of received) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
      return counts;
    },
    failNext(status: number, code: number, message: string) {
      nextFailure = { status, code, message };
    },
    neverAnswer(to: string) {
      silentFor.add(to);
    },
    /** How many unanswered sends to `to` are open right now. */
    hangingFor(to: string) {
      return hanging.get(to) ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
