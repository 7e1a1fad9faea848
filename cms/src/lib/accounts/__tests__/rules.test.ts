import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../password-policy';
import { checkConfirmationCode, checkResetCode, CONFIRMATION_TOKEN_LIFETIME_MS, hashResetCode, issueResetCode, RESET_TOKEN_LIFETIME_MS } from '../reset-tokens';

describe('password policy', () => {
  it.each([
    ['123456', /at least 12 characters/],
    ['password', /at least 12 characters/],
    ['aaaaaaaa', /at least 12 characters/],
    ['Password1234', /most common passwords/],
    ['1qaz2wsx3edc', /most common passwords/],
    ['abababababab', /too few characters/],
  ])('refuses %s, saying why', (password, reason) => {
    expect(passwordProblem(password)).toMatch(reason);
  });

  it('accepts a long, uncommon password, and counts characters, not bytes', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('ñandú-ñandú')).toMatch(/at least 12/);
  });
});

describe('reset codes', () => {
  it('work within the hour they were issued in, and not after', () => {
    const issuedAt = Date.UTC(2026, 11, 2, 12);
    const { code, hash } = issueResetCode(issuedAt);
    expect(hash).toBe(hashResetCode(code));
    expect(checkResetCode(code, issuedAt + RESET_TOKEN_LIFETIME_MS - 1)).toEqual({ ok: true, hash });
    expect(checkResetCode(code, issuedAt + RESET_TOKEN_LIFETIME_MS)).toEqual({ ok: false, reason: 'expired', hash });
    expect(checkResetCode(code, issuedAt - 1000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('confirm an email within 24 hours of their issue, and not after', () => {
    const issuedAt = Date.UTC(2026, 11, 2, 12);
    const { code, hash } = issueResetCode(issuedAt);
    expect(checkConfirmationCode(code, issuedAt + RESET_TOKEN_LIFETIME_MS + 1)).toEqual({ ok: true, hash });
    expect(checkConfirmationCode(code, issuedAt + CONFIRMATION_TOKEN_LIFETIME_MS - 1)).toEqual({ ok: true, hash });
    expect(checkConfirmationCode(code, issuedAt + CONFIRMATION_TOKEN_LIFETIME_MS)).toEqual({ ok: false, reason: 'expired', hash });
  });

  it('cannot be given a later issue time: the time is part of what is hashed', () => {
    const issuedAt = Date.UTC(2026, 11, 2, 12);
    const { code, hash } = issueResetCode(issuedAt);
    const later = `${(issuedAt + RESET_TOKEN_LIFETIME_MS).toString(36)}${code.slice(code.indexOf('.'))}`;
    const check = checkResetCode(later, issuedAt + RESET_TOKEN_LIFETIME_MS + 1000);
    expect(check.ok).toBe(true);
    expect(check.hash).not.toBe(hash);
  });

  it('refuse what is not a code (the stored hash included)', () => {
    const { hash } = issueResetCode();
    for (const code of ['', hash, 'abc.def', `${Date.now().toString(36)}.short`]) expect(checkResetCode(code)).toEqual({ ok: false, reason: 'malformed' });
  });
});
