/** AUDIT_SIGNING_KEY's accepted forms, and what a checkpoint's signature covers (checked without the plugin's code). */
import crypto from 'crypto';
import { describe, expect, it } from 'vitest';
import config from '../config';
import { keyIdOf, parseRetiredKeys, parseSigningKey, signatureProblem, signCheckpoint } from '../utils/signing';

const claim = { seq: 4211, hash: 'ab'.repeat(32), occurredAt: '2026-12-02T13:00:00.012Z' };

describe('checkpoint signing', () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

  it('takes the key as PEM, as PEM with escaped line breaks, or as base64 PKCS#8, with the same key id', () => {
    const ids = [pem, pem.replace(/\n/g, '\\n'), base64].map((text) => parseSigningKey(text).keyId);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses what is not an Ed25519 private key, without repeating it, and so does the plugin at start', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parseSigningKey(rsa)).toThrow(/is a rsa key; checkpoints are signed with Ed25519/);
    expect(() => config.validator({ signingKey: rsa, retentionDays: 365 })).toThrow(/Ed25519/);
    expect(() => config.validator({ signingKey: pem, retentionDays: 0 })).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(() => config.validator({ signingKey: pem, retentionDays: 365 })).not.toThrow();
    const garbage = 'not-a-key-but-a-secret-value';
    expect(() => parseSigningKey(garbage)).toThrow(/not a private key/);
    try {
      parseSigningKey(garbage);
    } catch (error) {
      expect((error as Error).message).not.toContain(garbage);
    }
  });

  it('signs the canonical JSON of { hash, occurredAt, seq } with Ed25519, verifiable with the public key alone', () => {
    const key = parseSigningKey(pem);
    const signed = signCheckpoint(claim, key);
    // What an outside party does, with nothing but the served public key.
    const message = Buffer.from(JSON.stringify({ hash: claim.hash, occurredAt: claim.occurredAt, seq: claim.seq }));
    expect(crypto.verify(null, message, key.publicKeyPem, Buffer.from(signed.signature, 'base64'))).toBe(true);
    const keyring = { current: key.publicKey, retired: [] };
    expect(signatureProblem(signed, keyring)).toBeNull();
    expect(signatureProblem({ ...signed, seq: claim.seq + 1 }, keyring)).toMatch(/does not verify/);
    expect(signatureProblem({ ...signed, hash: 'cd'.repeat(32) }, keyring)).toMatch(/does not verify/);
    const other = parseSigningKey(crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(signatureProblem(signCheckpoint(claim, other), keyring)).toMatch(/signed by key [0-9a-f]{16}, neither the configured key [0-9a-f]{16} nor a retired one/);
  });

  it('after a rotation, verifies what the retired key signed before the new key took over, and nothing it signed since', () => {
    const fresh = () => parseSigningKey(crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const [old, current] = [fresh(), fresh()];
    const keyring = { current: current.publicKey, retired: parseRetiredKeys(old.publicKeyPem) };
    const rotatedAt = '2026-12-02T14:00:00.000Z';
    const before = signCheckpoint({ ...claim, occurredAt: '2026-12-02T13:00:00.000Z' }, old);
    expect(signatureProblem(before, keyring, rotatedAt)).toBeNull();
    expect(signatureProblem(signCheckpoint({ ...claim, occurredAt: '2026-12-02T15:00:00.000Z' }, old), keyring, rotatedAt)).toMatch(
      new RegExp(`signed by the retired key ${old.keyId}, after the configured key ${current.keyId} took over \\(${rotatedAt}\\)`)
    );
    expect(signatureProblem(signCheckpoint({ ...claim, occurredAt: '2026-12-02T15:00:00.000Z' }, current), keyring, rotatedAt)).toBeNull();
    // Without the retired key listed, its checkpoints name their key.
    expect(signatureProblem(before, { current: current.publicKey, retired: [] }, rotatedAt)).toMatch(new RegExp(`signed by key ${old.keyId}, neither`));
  });

  it('takes retired keys as PEM blocks or base64 SPKI, several at once, and refuses anything else without repeating it', () => {
    const keys = [0, 1, 2].map(() => crypto.generateKeyPairSync('ed25519').publicKey);
    const text = [
      keys[0].export({ type: 'spki', format: 'pem' }).toString(),
      keys[1].export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '\\n'),
      keys[2].export({ type: 'spki', format: 'der' }).toString('base64'),
    ].join(',');
    expect(parseRetiredKeys(text).map(keyIdOf)).toEqual(keys.map(keyIdOf));
    expect(parseRetiredKeys('')).toEqual([]);
    expect(() => parseRetiredKeys('c2VjcmV0LXZhbHVl')).toThrow(/key 1 is not a public key/);
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => config.validator({ signingKey: '', retiredKeys: rsa, retentionDays: 365 })).toThrow(/key 1 is a rsa key, not Ed25519/);
  });
});
