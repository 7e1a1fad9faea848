import crypto, { type KeyObject } from 'crypto';
import { canonicalJson } from './canonical';

/** What a checkpoint signs: the chain's head at one moment. */
export type CheckpointClaim = { seq: number; hash: string; occurredAt: string };

/** A signed checkpoint as it is served, kept outside and read back by `audit:verify --from-checkpoint`. */
export type SignedCheckpoint = CheckpointClaim & { keyId: string; signature: string };

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string; keyId: string };

/**
 * The bytes a checkpoint's Ed25519 signature covers: the canonical JSON (see canonical.ts) of
 * `{ hash, occurredAt, seq }`, e.g. `{"hash":"9f…","occurredAt":"2026-12-02T13:00:00.012Z","seq":4211}`.
 */
export const checkpointMessage = ({ seq, hash, occurredAt }: CheckpointClaim) => Buffer.from(canonicalJson({ hash, occurredAt, seq }), 'utf8');

/** A public key's id: the first 16 hex digits of the SHA-256 of its DER (SubjectPublicKeyInfo) form. */
export const keyIdOf = (publicKey: KeyObject) =>
  crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

/**
 * `AUDIT_SIGNING_KEY`: an Ed25519 private key as PEM (`-----BEGIN PRIVATE KEY-----`) or as the
 * base64 of its DER PKCS#8 form (one line, for .env files: `openssl genpkey -algorithm ed25519
 * -outform DER | base64 -w0`). Anything else is refused with the reason, never with the value.
 */
export function parseSigningKey(text: string): SigningKey {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  let privateKey: KeyObject;
  try {
    privateKey = trimmed.startsWith('-----BEGIN')
      ? crypto.createPrivateKey({ key: trimmed, format: 'pem' })
      : crypto.createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('AUDIT_SIGNING_KEY is not a private key (expected an Ed25519 key, PEM or base64 PKCS#8)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`AUDIT_SIGNING_KEY is a ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519`);
  }
  const publicKey = crypto.createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey) };
}

/** A fresh Ed25519 private key as PEM (what development generates when AUDIT_SIGNING_KEY is unset). */
export const generateSigningKeyPem = () => crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export function signCheckpoint(claim: CheckpointClaim, key: SigningKey): SignedCheckpoint {
  return { ...claim, keyId: key.keyId, signature: crypto.sign(null, checkpointMessage(claim), key.privateKey).toString('base64') };
}

/**
 * `AUDIT_SIGNING_KEYS_RETIRED`: the public halves of keys that signed checkpoints before a rotation,
 * as PEM blocks or base64 DER (SubjectPublicKeyInfo), separated by commas or white space. They only
 * verify; nothing is signed with them.
 */
export function parseRetiredKeys(text: string): KeyObject[] {
  const normalised = text.trim().replace(/\\n/g, '\n');
  if (!normalised) return [];
  const pems = normalised.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  const rest = normalised.replace(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g, ' ').split(/[\s,]+/).filter(Boolean);
  return [...pems, ...rest].map((item, index) => {
    let key: KeyObject;
    try {
      key = item.startsWith('-----BEGIN')
        ? crypto.createPublicKey({ key: item, format: 'pem' })
        : crypto.createPublicKey({ key: Buffer.from(item, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new Error(`AUDIT_SIGNING_KEYS_RETIRED: key ${index + 1} is not a public key (expected Ed25519, PEM or base64 SPKI)`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`AUDIT_SIGNING_KEYS_RETIRED: key ${index + 1} is a ${key.asymmetricKeyType} key, not Ed25519`);
    return key;
  });
}

/** The keys checkpoints are verified with: the configured one, and those it replaced. */
export type Keyring = { current: KeyObject; retired: KeyObject[] };

/**
 * Why a checkpoint's signature does not hold, or null when it does. A checkpoint signed by a retired
 * key holds only if it was signed before `rotatedAt` (the first checkpoint of the current key): a
 * key is retired because it may be lost, so what it signs after it was replaced proves nothing.
 */
export function signatureProblem(checkpoint: SignedCheckpoint, keyring: Keyring, rotatedAt?: string): string | null {
  const currentId = keyIdOf(keyring.current);
  const retired = keyring.retired.find((key) => keyIdOf(key) === checkpoint.keyId);
  const publicKey = checkpoint.keyId === currentId ? keyring.current : retired;
  if (!publicKey) return `it is signed by key ${checkpoint.keyId}, neither the configured key ${currentId} nor a retired one (AUDIT_SIGNING_KEYS_RETIRED)`;
  let valid = false;
  try {
    valid = crypto.verify(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return 'its signature does not verify (the checkpoint was forged or edited)';
  if (retired && rotatedAt && checkpoint.occurredAt >= rotatedAt) {
    return `it is signed by the retired key ${checkpoint.keyId}, after the configured key ${currentId} took over (${rotatedAt})`;
  }
  return null;
}
