import crypto from 'crypto';

// Personal data (phone numbers, emails) is stored encrypted with AES-256-GCM and found again by a
// keyed HMAC, both keys derived from PII_ENCRYPTION_KEY so one secret protects both. The cms seals
// with it (cms/src/lib/pii.ts) and the workers that read the database alone unseal with it.
const VERSION = 'v1';

export type PiiKeys = { encryption: Buffer; lookup: Buffer };
let cached: { source: string; keys: PiiKeys } | undefined;

/** The two keys derived from PII_ENCRYPTION_KEY (32 random bytes, base64). */
export function piiKeys(source: string | undefined): PiiKeys {
  if (cached && cached.source === source) return cached.keys;
  const master = Buffer.from(source ?? '', 'base64');
  if (master.length !== 32) {
    throw new Error('PII_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
  }
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  cached = { source: source as string, keys: { encryption: derive('ovation/pii/encryption'), lookup: derive('ovation/pii/lookup') } };
  return cached.keys;
}

export function sealPII(keys: PiiKeys, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keys.encryption, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function unsealPII(keys: PiiKeys, sealed: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || !tag) throw new Error('Not a sealed PII value');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** A stable keyed hash of a normalised identifier (E.164 phone, lower-cased email) for lookups. */
export function piiLookupHash(keys: PiiKeys, identifier: string): string {
  return crypto.createHmac('sha256', keys.lookup).update(identifier).digest('hex');
}

/** Shows enough of a phone number or email for a person to recognise it, and no more. */
export function maskIdentifier(identifier: string): string {
  const at = identifier.indexOf('@');
  if (at > 0) return `${identifier[0]}***${identifier.slice(at)}`;
  return `${identifier.slice(0, 3)}***${identifier.slice(-2)}`;
}
