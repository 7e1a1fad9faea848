import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { decryptPII, encryptPII } from '../pii';

/** The purpose account emails carry in the outbox (reset links, email confirmations). */
export const ACCOUNT_EMAIL_PURPOSE = 'account-email';
const SEALED = '\n\n-- sealed for sending: ';

type EmailOptions = { to: string; subject?: string; text?: string; html?: string };

/** Secrets in links (reset codes, confirmation tokens) as the outbox shows them to people. */
const hideLinkSecrets = (text: string) => text.replace(/([?&](?:code|confirmation|token)=)[^&\s"'<>]+/gi, '$1[hidden]');

function htmlToText(html: string) {
  return html
    .replace(/<(br|\/p|\/div|\/h\d|\/li)\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text of an email Strapi hands over (its `text` is sometimes the HTML template itself). */
const textOf = (options: EmailOptions) => {
  const text = options.text ?? options.html ?? '';
  return /<\/?[a-z][^>]*>/i.test(text) ? htmlToText(text) : text.trim();
};

/**
 * Strapi's email plugin, sent through Ovation's outbox: each email becomes an outbox row with its
 * `message.send` job, in the transaction of the request that asks for it (a reset code written and
 * its email queued commit together, or neither does), sent by the workers through SendGrid, or kept
 * in the sandbox and shown in the admin's outbox without credentials. The job carries the row's id
 * only. The stored body is readable with the secrets of its links hidden; the whole text is kept
 * sealed (AES-256-GCM, PII_ENCRYPTION_KEY) for the worker, which unseals it right before sending.
 */
export function outboxEmailProvider(strapi: Core.Strapi) {
  return {
    async send(options: EmailOptions) {
      const text = textOf(options);
      const body = `${hideLinkSecrets(text)}${SEALED}${encryptPII(text)}`;
      await strapi.service('api::message.message').queue([
        { idempotencyKey: `${ACCOUNT_EMAIL_PURPOSE}:${crypto.randomUUID()}`, channel: 'email', to: options.to, subject: options.subject, body, purpose: ACCOUNT_EMAIL_PURPOSE },
      ]);
    },
  };
}

/** What the worker sends: the sealed text, unsealed. */
export async function unsealAccountEmail(message: { body: string }) {
  const at = message.body.lastIndexOf(SEALED);
  if (at < 0) throw new Error('An account email without its sealed text');
  return decryptPII(message.body.slice(at + SEALED.length));
}

/** Routes the email plugin through the outbox (its own bootstrap has loaded the configured provider by now). */
export function sendEmailsThroughOutbox(strapi: Core.Strapi) {
  const email = strapi.plugin('email') as unknown as { provider: unknown };
  email.provider = outboxEmailProvider(strapi);
  strapi.service('api::message.message').fillSecretsWith(ACCOUNT_EMAIL_PURPOSE, unsealAccountEmail);
}
