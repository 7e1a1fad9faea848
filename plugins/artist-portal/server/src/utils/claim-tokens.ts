import crypto from 'crypto';

/** How long a claim link works. */
export const CLAIM_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** What the database keeps of a token: its SHA-256, so a stolen table claims nothing. */
export const hashClaimToken = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

const signature = (key: string, artistRef: string, nonce: string) =>
  crypto.createHmac('sha256', key).update(`artist-claim:${artistRef}:${nonce}`).digest('base64url');

/**
 * A claim token: a random nonce and an HMAC binding it to one artist. The invitation row keeps the
 * nonce and the token's hash; the token itself exists only in the message being sent, remade from
 * the nonce and the key at each attempt, so neither the outbox nor the invitations table holds it.
 */
export function claimToken(key: string, artistRef: string, nonce: string) {
  return `${nonce}.${signature(key, artistRef, nonce)}`;
}

export const newNonce = () => crypto.randomBytes(16).toString('base64url');

export const isClaimTokenShaped = (token: string) => TOKEN.test(token);

/** Whether a token was signed with this key for this artist (its row found by hash is then proven its own). */
export function signedFor(key: string, artistRef: string, token: string) {
  const match = TOKEN.exec(token);
  if (!match) return false;
  const expected = Buffer.from(signature(key, artistRef, match[1]));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
