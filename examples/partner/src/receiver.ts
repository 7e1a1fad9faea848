import http from 'http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { webhooks } from './api';

/** What Ovation POSTs for each event type, as its OpenAPI document's `webhooks` section says. */
export type OvationEvent = {
  [T in keyof webhooks]: NonNullable<webhooks[T]['post']['requestBody']>['content']['application/json'];
}[keyof webhooks];

/**
 * A webhook endpoint for Ovation's events: every delivery is verified with the subscription's
 * secret (`whsec_…`, shown once in Ovation's admin) by the `standardwebhooks` library, a forged or
 * stale one is refused with 401, and a retried delivery (same `webhook-id`) is handled once. During a
 * secret rotation, pass both secrets: either verifies.
 */
export function createReceiver({ secrets, onEvent }: { secrets: string[]; onEvent: (event: OvationEvent, id: string) => void | Promise<void> }) {
  const verifiers = secrets.map((secret) => new Webhook(secret));
  const seen = new Set<string>();

  const verify = (body: string, headers: Record<string, string>) => {
    for (const verifier of verifiers) {
      try {
        return verifier.verify(body, headers) as OvationEvent;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
      }
    }
    return null;
  };

  return http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name] ?? '')]));
    const event = request.method === 'POST' ? verify(Buffer.concat(chunks).toString('utf8'), headers) : null;
    if (!event) {
      response.writeHead(401).end('signature not valid');
      return;
    }
    const id = headers['webhook-id'];
    if (!seen.has(id)) {
      // Handle it before answering: a failure answers 500 and Ovation retries later.
      await onEvent(event, id);
      seen.add(id);
    }
    response.writeHead(204).end();
  });
}
