/**
 * The code rules without the app: RFC 6238's own test vectors, one step of drift either way
 * accepted and two refused, a step never accepted twice; secrets sealed and recovery codes hashed.
 */
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { acceptedStep, newSecret, otpauthUri } from '../services/totp';
import { deriveKeys, hashRecoveryCode, newRecoveryCode, seal, unseal } from '../utils/sealing';

const at = (step: number) => step * 30 * 1000 + 12_000;

describe('TOTP', () => {
  it('gives RFC 6238 Appendix B SHA-1 codes', async () => {
    const secret = new TextEncoder().encode('12345678901234567890');
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [epoch, code] of vectors) expect(await generate({ secret, epoch, digits: 8, algorithm: 'sha1', period: 30 })).toBe(code);
    // Six digits, as authenticator apps show them: the last six of the eight.
    expect(await generate({ secret, epoch: 59, digits: 6 })).toBe('287082');
  });

  it('accepts the current step and one either side, refuses two away, and never a step already used', async () => {
    const secret = newSecret();
    const step = 60_000_000;
    const codeAt = (s: number) => generate({ secret, epoch: s * 30 });
    expect(await acceptedStep(secret, await codeAt(step), null, at(step))).toBe(step);
    expect(await acceptedStep(secret, await codeAt(step - 1), null, at(step))).toBe(step - 1);
    expect(await acceptedStep(secret, await codeAt(step + 1), null, at(step))).toBe(step + 1);
    expect(await acceptedStep(secret, await codeAt(step - 2), null, at(step))).toBeNull();
    expect(await acceptedStep(secret, await codeAt(step + 2), null, at(step))).toBeNull();
    // At either edge of a step the window is still exactly one step each way.
    expect(await acceptedStep(secret, await codeAt(step - 2), null, step * 30 * 1000)).toBeNull();
    expect(await acceptedStep(secret, await codeAt(step + 2), null, step * 30 * 1000 + 29_999)).toBeNull();
    // Used: the same code, and any earlier step, is refused.
    expect(await acceptedStep(secret, await codeAt(step), step, at(step))).toBeNull();
    expect(await acceptedStep(secret, await codeAt(step - 1), step, at(step))).toBeNull();
    expect(await acceptedStep(secret, await codeAt(step + 1), step, at(step))).toBe(step + 1);
  });

  it('refuses what is not six digits without asking otplib', async () => {
    const secret = newSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', '12 345']) expect(await acceptedStep(secret, code, null)).toBeNull();
  });

  it('names the issuer, the account and the parameters apps need in the otpauth URI', () => {
    const uri = new URL(otpauthUri('Ovation', 'ana@ovation.test', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Ovation:ana@ovation.test');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('Ovation');
  });
});

describe('sealing', () => {
  const keys = deriveKeys(Buffer.alloc(32, 7).toString('base64'));

  it('seals a secret with AES-256-GCM: not readable, different each time, refused when altered or under another key', () => {
    const secret = newSecret();
    const sealed = seal(keys, secret);
    expect(sealed).not.toContain(secret);
    expect(seal(keys, secret)).not.toBe(sealed);
    expect(unseal(keys, sealed)).toBe(secret);
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 2), `${parts[2][0] === 'A' ? 'B' : 'A'}${parts[2].slice(1)}`, parts[3]].join('.');
    expect(() => unseal(keys, flipped)).toThrow();
    expect(() => unseal(deriveKeys(Buffer.alloc(32, 8).toString('base64')), sealed)).toThrow();
  });

  it('makes recovery codes of 50 random bits and hashes them whatever the case, spaces or dash', () => {
    const codes = new Set(Array.from({ length: 1000 }, newRecoveryCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[a-hj-km-np-z02-9]{5}-[a-hj-km-np-z02-9]{5}$/);
    const code = [...codes][0];
    const hash = hashRecoveryCode(keys, code);
    expect(hash).not.toContain(code.replace('-', ''));
    expect(hashRecoveryCode(keys, ` ${code.toUpperCase().replace('-', ' ')} `)).toBe(hash);
  });
});
