import crypto from 'crypto';
import path from 'path';

export const CMS_DIR = path.resolve(__dirname, '..');
export const REPO_DIR = path.resolve(CMS_DIR, '..');

/** A fresh set of secrets for a test run or a benchmark, so neither reads or writes cms/.env. */
export function freshSecrets(): Record<string, string> {
  const random = (bytes: number) => crypto.randomBytes(bytes).toString('base64');
  return {
    APP_KEYS: [random(16), random(16)].join(','),
    API_TOKEN_SALT: random(16),
    ADMIN_JWT_SECRET: random(32),
    TRANSFER_TOKEN_SALT: random(16),
    JWT_SECRET: random(32),
    ENCRYPTION_KEY: random(32),
    PII_ENCRYPTION_KEY: random(32),
    SITE_TOKEN: crypto.randomBytes(32).toString('base64url'),
    TWILIO_AUTH_TOKEN: crypto.randomBytes(16).toString('hex'),
    AUDIT_SIGNING_KEY: crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The per-client budgets the shared test app lifts (tests of the budgets start a cms of their own without them). */
export const TEST_BUDGETS = [
  'RATE_LIMIT_ANONYMOUS_PER_MINUTE',
  'RATE_LIMIT_FAN_PER_MINUTE',
  'RATE_LIMIT_SITE_PER_MINUTE',
  'RATE_LIMIT_CREDENTIAL_PER_MINUTE',
  'SMS_VOTING_STREAMS_PER_CLIENT',
] as const;
