import crypto from 'crypto';

/** How long a password-reset link works. */
export const RESET_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
/** How long an email-confirmation link works. */
export const CONFIRMATION_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

const CODE = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;

/** What the database keeps of an emailed code: its SHA-256, so the stored value opens nothing. */
export const hashResetCode = (code: string) => crypto.createHash('sha256').update(code, 'utf8').digest('hex');

/**
 * A new emailed code (password reset, email confirmation): the time it was issued and 32 random
 * bytes. The issue time is part of what is hashed, so it cannot be changed to stretch a code's life,
 * and the expiry needs no column of its own.
 */
export function issueResetCode(now = Date.now()) {
  const code = `${now.toString(36)}.${crypto.randomBytes(32).toString('base64url')}`;
  return { code, hash: hashResetCode(code) };
}

export type CodeCheck = { ok: true; hash: string } | { ok: false; reason: 'malformed' | 'expired'; hash?: string };

/** Whether a presented code has the right shape and is still within its lifetime (an hour for resets). */
export function checkResetCode(code: string, now = Date.now(), lifetimeMs = RESET_TOKEN_LIFETIME_MS): CodeCheck {
  const match = CODE.exec(code);
  if (!match) return { ok: false, reason: 'malformed' };
  const issuedAt = parseInt(match[1], 36);
  const hash = hashResetCode(code);
  if (!(issuedAt <= now && now - issuedAt < lifetimeMs)) return { ok: false, reason: 'expired', hash };
  return { ok: true, hash };
}

/** An email-confirmation code: a reset code's shape, valid for 24 hours. */
export const checkConfirmationCode = (code: string, now = Date.now()) => checkResetCode(code, now, CONFIRMATION_TOKEN_LIFETIME_MS);
