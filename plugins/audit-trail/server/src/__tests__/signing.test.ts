/** AUDIT_SIGNING_KEY's accepted forms, and what a checkpoint's signature covers (checked without the plugin's code). */
import crypto from 'crypto';
import { describe, expect, it } from 'vitest';
import config from '../config';
import { parseSigningKey, signatureProblem, signCheckpoint } from '../utils/signing';

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
    expect(signatureProblem(signed, key.publicKey)).toBeNull();
    expect(signatureProblem({ ...signed, seq: claim.seq + 1 }, key.publicKey)).toMatch(/does not verify/);
    expect(signatureProblem({ ...signed, hash: 'cd'.repeat(32) }, key.publicKey)).toMatch(/does not verify/);
    const other = parseSigningKey(crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(signatureProblem(signCheckpoint(claim, other), key.publicKey)).toMatch(/signed by key [0-9a-f]{16}, not by the configured key/);
  });
});
