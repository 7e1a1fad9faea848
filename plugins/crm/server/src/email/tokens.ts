import crypto from 'crypto';

/**
 * The tokens in marketing email links, both HMAC-SHA256 with the plugin's signing key:
 *
 * - a confirmation token binds a random nonce to one sign-up (`<nonce>.<signature>`); the sign-up
 *   row keeps the nonce and the token's SHA-256, so the token exists only in the email being sent,
 *   remade at each attempt, and a stolen table confirms nothing;
 * - an unsubscribe token names one outbox message (`<message id>.<signature>`): whoever holds the
 *   email can opt its recipient out, nobody can make one for another message.
 */
const sign = (key: string, what: string) => crypto.createHmac('sha256', key).update(what).digest('base64url');
const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

const CONFIRMATION = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const UNSUBSCRIBE = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export const newNonce = () => crypto.randomBytes(16).toString('base64url');
export const hashToken = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

export const confirmationToken = (key: string, signupRef: string, nonce: string) => `${nonce}.${sign(key, `crm-email-confirm:${signupRef}:${nonce}`)}`;
export const isConfirmationTokenShaped = (token: string) => CONFIRMATION.test(token);
/** Whether a token found by its hash was signed for that sign-up (a second check beside the hash). */
export function confirmationSignedFor(key: string, signupRef: string, token: string) {
  const match = CONFIRMATION.exec(token);
  return Boolean(match) && same(confirmationToken(key, signupRef, match![1]), token);
}

export const unsubscribeToken = (key: string, messageId: number) => `${messageId}.${sign(key, `crm-email-unsubscribe:${messageId}`)}`;
/** The outbox message an unsubscribe token names, or null for anything not signed with this key. */
export function unsubscribeMessageId(key: string, token: string): number | null {
  const match = UNSUBSCRIBE.exec(token);
  if (!match) return null;
  const id = Number(match[1]);
  return same(unsubscribeToken(key, id), token) ? id : null;
}
