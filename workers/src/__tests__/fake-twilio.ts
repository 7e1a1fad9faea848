import http from 'http';
import type { AddressInfo } from 'net';

export type ReceivedMessage = { accountSid: string; to: string; from?: string; body: string; authorization?: string };

/**
 * A local server speaking the part of Twilio's REST API the workers use
 * (POST /2010-04-01/Accounts/{AccountSid}/Messages.json), for the real twilio SDK to talk to.
 */
export async function startFakeTwilio() {
  const received: ReceivedMessage[] = [];
  let nextFailure: { status: number; code: number; message: string } | undefined;

  const server = http.createServer((req, res) => {
    const match = /^\/2010-04-01\/Accounts\/(\w+)\/Messages\.json$/.exec(req.url ?? '');
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end(JSON.stringify({ code: 20404, message: 'Not found', status: 404 }));
        return;
      }
      if (nextFailure) {
        const failure = nextFailure;
        nextFailure = undefined;
        res.writeHead(failure.status).end(JSON.stringify({ ...failure, more_info: 'https://www.twilio.com/docs/errors' }));
        return;
      }
      const form = new URLSearchParams(raw);
      const message = {
        accountSid: match[1],
        to: form.get('To') ?? '',
        from: form.get('From') ?? undefined,
        body: form.get('Body') ?? '',
        authorization: req.headers.authorization,
      };
      received.push(message);
      const sid = `SM${String(received.length).padStart(32, '0')}`;
      res.writeHead(201).end(
        JSON.stringify({ sid, account_sid: match[1], to: message.to, from: message.from, body: message.body, status: 'queued', num_segments: '1' })
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    failNext(status: number, code: number, message: string) {
      nextFailure = { status, code, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
