import crypto from 'crypto';

// TOTP secrets are sealed with AES-256-GCM and recovery codes hashed with HMAC-SHA-256, both under
// keys derived from one environment secret, each for its own purpose (HKDF info), as lib/pii does.
const VERSION = 'v1';

export type Keys = { sealing: Buffer; hashing: Buffer };

export function deriveKeys(encryptionKey: string): Keys {
  const master = Buffer.from(encryptionKey, 'base64');
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { sealing: derive('ovation/two-factor/totp-secret'), hashing: derive('ovation/two-factor/recovery-code') };
}

export function seal(keys: Keys, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keys.sealing, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function unseal(keys: Keys, sealed: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || !tag) throw new Error('two-factor: not a sealed secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keys.sealing, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** A recovery code as it is stored: keyed, so a leaked table cannot be checked against guesses offline. */
export const hashRecoveryCode = (keys: Keys, code: string) => crypto.createHmac('sha256', keys.hashing).update(normaliseRecoveryCode(code)).digest('hex');

/** Codes are typed by people: case, spaces and dashes do not matter. */
export const normaliseRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

/** A challenge token as it is stored: it has 256 random bits, a plain hash is enough. */
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export const newToken = () => crypto.randomBytes(32).toString('base64url');

// 10 characters from a 32-letter alphabet without i, l, o and 1 (50 bits), shown as xxxxx-xxxxx.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789';
export function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(10);
  const letters = Array.from(bytes, (byte) => ALPHABET[byte % 32]).join('');
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}
