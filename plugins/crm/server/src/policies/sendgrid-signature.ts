import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { EventWebhook, EventWebhookHeader } from '@sendgrid/eventwebhook';
import { guardCallback } from '../tracking/refused-callbacks';
import { pluginConfig } from '../utils/plugin-config';

type PolicyContext = { request: { ip: string; header: Record<string, string | undefined>; body?: unknown }; response?: { set(name: string, value: string): void } };

// koa-body keeps the bytes it parsed here (`includeUnparsed` in cms/config/middlewares.ts): SendGrid signs the bytes.
const UNPARSED = Symbol.for('unparsedBody');
const webhook = new EventWebhook();
const keys = new Map<string, ReturnType<EventWebhook['convertPublicKeyToECDSA']>>();

/** The key as SendGrid's settings show it (base64 DER) or as PEM. */
function publicKey(text: string) {
  let key = keys.get(text);
  if (!key) {
    const pem = text.includes('BEGIN PUBLIC KEY') ? text : `-----BEGIN PUBLIC KEY-----\n${text.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----`;
    key = webhook.convertPublicKeyToECDSA(pem);
    keys.set(text, key);
  }
  return key;
}

/**
 * Only SendGrid may post email events: the ECDSA signature over the timestamp and the exact body is
 * verified with @sendgrid/eventwebhook and the account's verification key (SENDGRID_WEBHOOK_PUBLIC_KEY).
 */
const sendgridSignature = async (context: PolicyContext, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { sendgridWebhookPublicKey } = pluginConfig(strapi);
  if (!sendgridWebhookPublicKey) strapi.log.error('crm: SENDGRID_WEBHOOK_PUBLIC_KEY is not set, so every SendGrid event post is refused');
  const signature = context.request.header[EventWebhookHeader.SIGNATURE().toLowerCase()];
  const timestamp = context.request.header[EventWebhookHeader.TIMESTAMP().toLowerCase()];
  const raw = (context.request.body as Record<symbol, unknown> | undefined)?.[UNPARSED];
  const verify = () => {
    if (!sendgridWebhookPublicKey || !signature || !timestamp || typeof raw !== 'string') return false;
    try {
      return webhook.verifySignature(publicKey(sendgridWebhookPublicKey), raw, signature, timestamp);
    } catch {
      return false; // a signature that is not one, or a key that is not a key
    }
  };
  return guardCallback(context, verify, () => new errors.PolicyError('Invalid or missing SendGrid signature', { policy: 'sendgrid-signature' }), strapi);
};

export default sendgridSignature;
