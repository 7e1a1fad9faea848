import crypto from 'crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signature is the base64
 * HMAC-SHA256 of `id.timestamp.body` under the secret's bytes (the base64 after `whsec_`).
 */
const PREFIX = 'whsec_';
/** 32 random bytes: the specification asks for 24 to 64. */
const SECRET_BYTES = 32;

export const generateSecret = () => `${PREFIX}${crypto.randomBytes(SECRET_BYTES).toString('base64')}`;

export const isSecret = (value: string) => value.startsWith(PREFIX) && Buffer.from(value.slice(PREFIX.length), 'base64').length >= 24;

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  return `v1,${crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three headers of one attempt; several secrets (during a rotation) give space-separated signatures. */
export function signedHeaders(secrets: string[], id: string, body: string, now = new Date()) {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestamp, body)).join(' '),
  };
}

/** A new event's id: the same for every subscriber and every attempt, so receivers can deduplicate. */
export const newMessageId = () => `msg_${crypto.randomBytes(16).toString('base64url')}`;
