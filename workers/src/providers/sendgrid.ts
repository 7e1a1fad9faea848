import { MailService } from '@sendgrid/mail';
import { ProviderError } from '../errors';
import { SENDGRID_REFERENCE_ARG } from './paths';
import type { MessageProvider, OutboundMessage } from './types';

export type SendGridSettings = {
  apiKey: string;
  from: string;
  /** Overrides https://api.sendgrid.com, for a local server that speaks SendGrid's API. */
  apiBaseUrl?: string;
};

export function createSendGridProvider(settings: SendGridSettings): MessageProvider {
  const mail = new MailService();
  mail.setApiKey(settings.apiKey);
  if (settings.apiBaseUrl) {
    (mail as unknown as { client: { setDefaultRequest(key: string, value: string): void } }).client.setDefaultRequest(
      'baseUrl',
      settings.apiBaseUrl
    );
  }

  return {
    name: 'sendgrid',
    async send(message: OutboundMessage) {
      try {
        const [response] = await mail.send({
          to: message.to,
          from: settings.from,
          subject: message.subject ?? '',
          text: message.body,
          ...(message.html ? { html: message.html } : {}),
          ...(message.headers && Object.keys(message.headers).length > 0 ? { headers: message.headers } : {}),
          // Comes back on every Event Webhook event: how the cms finds the message a bounce or an open is about.
          ...(message.reference ? { customArgs: { [SENDGRID_REFERENCE_ARG]: message.reference } } : {}),
          // Links stay Ovation's: a campaign's are its own short links already, and a confirmation or
          // unsubscribe link carries a signed token that SendGrid's redirector has no business seeing.
          trackingSettings: { clickTracking: { enable: false, enableText: false } },
        });
        const id = response.headers['x-message-id'];
        return { providerMessageId: typeof id === 'string' ? id : `sendgrid-${Date.now()}` };
      } catch (error) {
        const status = (error as { code?: number }).code;
        if (typeof status !== 'number') throw error; // no answer from SendGrid: it may have taken the message
        const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429;
        throw new ProviderError(`SendGrid refused the message: ${(error as Error).message}`, permanent, status);
      }
    },
  };
}
