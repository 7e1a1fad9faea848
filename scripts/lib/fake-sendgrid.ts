import http from 'http';
import type { AddressInfo } from 'net';

export type ReceivedEmail = { to: string; from: string; subject: string; text: string; html?: string; headers?: Record<string, string>; authorization?: string; customArgs?: Record<string, string>; trackingSettings?: Record<string, unknown> };

/**
 * A local server speaking the part of SendGrid's v3 API the workers use (`POST /v3/mail/send`), for
 * the real @sendgrid/mail SDK to talk to (SENDGRID_API_BASE_URL).
 */
export async function startFakeSendGrid() {
  const received: ReceivedEmail[] = [];
  let sequence = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v3/mail/send') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Not found' }] }));
        return;
      }
      const mail = JSON.parse(raw) as {
        personalizations: { to: { email: string }[] }[];
        from: { email: string };
        subject: string;
        content: { type: string; value: string }[];
        headers?: Record<string, string>;
        custom_args?: Record<string, string>;
        tracking_settings?: Record<string, unknown>;
      };
      received.push({
        to: mail.personalizations[0].to[0].email,
        from: mail.from.email,
        subject: mail.subject,
        text: mail.content.find((part) => part.type === 'text/plain')?.value ?? '',
        html: mail.content.find((part) => part.type === 'text/html')?.value,
        headers: mail.headers,
        authorization: req.headers.authorization,
        customArgs: mail.custom_args,
        trackingSettings: mail.tracking_settings,
      });
      sequence += 1;
      res.writeHead(202, { 'X-Message-Id': `fake-sendgrid-${sequence}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
