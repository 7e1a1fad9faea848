import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { ProviderError } from '../errors';
import type { MessageProvider, OutboundMessage } from './types';

export type TwilioSettings = {
  accountSid: string;
  authToken: string;
  /** A sending number in E.164, or a Messaging Service SID (MG…). */
  from: string;
  /** Overrides https://api.twilio.com, for a regional proxy or a local server that speaks Twilio's API. */
  apiBaseUrl?: string;
  /** Where Twilio posts each message's status (queued, sent, delivered, undelivered, failed): the cms's callback route. */
  statusCallback?: string;
};

/** Sends every request of the twilio SDK to another origin, keeping path, auth and body. */
class RoutedRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super({ timeout: REQUEST_TIMEOUT_MS, keepAlive: true });
  }

  request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const origin = new URL(this.origin);
    target.protocol = origin.protocol;
    target.host = origin.host;
    return super.request<TData>({ ...opts, uri: target.href });
  }
}

// Twilio error codes for a recipient or sender that will not work however often we retry.
const PERMANENT_CODES = new Set([21211, 21212, 21408, 21610, 21612, 21614, 21606, 21659]);

// Shorter than a message.send attempt's own timeout, so an attempt always learns how its call ended.
const REQUEST_TIMEOUT_MS = 15_000;
// Twilio's clock and ours may differ a little: look this far before the attempt began.
const CLOCK_SLACK_MS = 120_000;

export function createTwilioProvider(settings: TwilioSettings): MessageProvider {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: settings.apiBaseUrl ? new RoutedRequestClient(settings.apiBaseUrl) : new twilio.RequestClient({ timeout: REQUEST_TIMEOUT_MS, keepAlive: true }),
  });
  const sender = settings.from.startsWith('MG')
    ? { messagingServiceSid: settings.from }
    : { from: settings.from };

  return {
    name: 'twilio',
    async send(message: OutboundMessage) {
      try {
        const sent = await client.messages.create({
          to: message.to,
          body: message.body,
          ...sender,
          // The outbox row rides in the callback's URL (Twilio signs it with the rest): a status that
          // arrives before this worker has stored the SID still finds its message.
          ...(settings.statusCallback ? { statusCallback: message.reference ? `${settings.statusCallback}?message=${encodeURIComponent(message.reference)}` : settings.statusCallback } : {}),
        });
        return { providerMessageId: sent.sid };
      } catch (error) {
        const { status, code, message: text } = error as { status?: number; code?: number; message: string };
        if (status === undefined) throw error; // no answer from Twilio: it may have taken the message
        const permanent = (code !== undefined && PERMANENT_CODES.has(code)) || status === 400;
        throw new ProviderError(`Twilio refused the message: ${text}`, permanent, status);
      }
    },

    /** Twilio's own list of messages to this number, newest first: one with this body since the attempt began. */
    async findSent(message) {
      const sentSince = message.since.getTime() - CLOCK_SLACK_MS;
      const recent = await client.messages.list({ to: message.to, ...('from' in sender ? { from: sender.from } : {}), limit: 50 });
      const match = recent.find((sent) => sent.body === message.body && new Date(sent.dateCreated).getTime() >= sentSince);
      return match ? { providerMessageId: match.sid } : null;
    },
  };
}
