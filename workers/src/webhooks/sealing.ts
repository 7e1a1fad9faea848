import crypto from 'crypto';

/**
 * Signing secrets and owners' emails are stored sealed (AES-256-GCM) under a key derived from
 * PII_ENCRYPTION_KEY (HKDF, a label of its own), so the cms that saves them and the workers that
 * sign with them need no secret besides the one they already share, and a leaked database gives none.
 */
const VERSION = 'w1';
let cached: { source: string; key: Buffer } | undefined;

function key(env: NodeJS.ProcessEnv = process.env) {
  const source = env.PII_ENCRYPTION_KEY ?? '';
  if (cached?.source === source) return cached.key;
  const master = Buffer.from(source, 'base64');
  if (master.length !== 32) throw new Error('PII_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
  cached = { source, key: Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'ovation/webhooks/sealed', 32)) };
  return cached.key;
}

export function seal(plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function unseal(sealed: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || !tag) throw new Error('Not a sealed webhook value');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
