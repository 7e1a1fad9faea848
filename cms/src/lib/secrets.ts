import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { CMS_DIR } from './cms-dir';

const random = (bytes: number) => crypto.randomBytes(bytes).toString('base64');

// Every secret the platform needs, with how a development machine generates its own.
const generators = {
  APP_KEYS: () => Array.from({ length: 4 }, () => random(16)).join(','),
  API_TOKEN_SALT: () => random(16),
  ADMIN_JWT_SECRET: () => random(32),
  TRANSFER_TOKEN_SALT: () => random(16),
  JWT_SECRET: () => random(32),
  ENCRYPTION_KEY: () => random(32),
  PII_ENCRYPTION_KEY: () => random(32),
  // The site's credential to the cms: with it the site passes on the address of the fan it serves.
  SITE_TOKEN: () => crypto.randomBytes(32).toString('base64url'),
};

// Generated for development too, but optional in production, where a missing one switches its
// feature off safely (without TWILIO_AUTH_TOKEN every inbound SMS webhook is refused).
const optionalGenerators = {
  TWILIO_AUTH_TOKEN: () => crypto.randomBytes(16).toString('hex'),
  // Without it, backups refuse to run: never an unencrypted backup. Keep production's somewhere other
  // than the backups' bucket: a backup cannot be restored without it.
  BACKUP_ENCRYPTION_KEY: () => random(32),
};

// Required in production too, but kept in development in a file of its own under cms/.tmp rather
// than in cms/.env: it belongs with the development database whose checkpoints it signs (the SQLite
// file beside it), so removing .tmp starts both afresh, and a PEM key spans lines.
const keyFiles = {
  // Signs the audit trail's checkpoints (Ed25519, PKCS#8 PEM).
  AUDIT_SIGNING_KEY: { file: 'audit-signing-key.pem', generate: () => crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
};

export type SecretName = keyof typeof generators | keyof typeof keyFiles;
export type Secrets = Record<SecretName, string>;
/** The secrets production refuses to start without. */
export const SECRET_NAMES = [...Object.keys(generators), ...Object.keys(keyFiles)] as SecretName[];
const allGenerators: Record<string, () => string> = { ...generators, ...optionalGenerators };
const DEV_GENERATED = [...Object.keys(allGenerators), ...Object.keys(keyFiles)];

export class MissingSecretsError extends Error {
  constructor(readonly missing: SecretName[]) {
    super(
      `Refusing to start in production without these secrets in the environment: ${missing.join(', ')}`
    );
    this.name = 'MissingSecretsError';
  }
}

export const devEnvFile = () => path.join(CMS_DIR, '.env');
export const devKeyDir = () => path.join(CMS_DIR, '.tmp');

export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/**
 * Development only: generates the secrets that are neither in the environment nor in cms/.env
 * and appends them to that (git-ignored) file, so they stay the same from one run to the next;
 * keys kept in files of their own (the audit signing key) likewise under cms/.tmp.
 */
export function ensureDevSecrets(env: NodeJS.ProcessEnv = process.env, file = devEnvFile(), keyDir = devKeyDir()): Secrets {
  const stored = fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, 'utf8')) : {};
  for (const [name, { file: keyFile, generate }] of Object.entries(keyFiles)) {
    // One set in the environment or written into cms/.env by hand wins. (Never assign `undefined`:
    // process.env would store the string "undefined" and take it for a key.)
    if (!env[name] && stored[name]) env[name] = stored[name];
    if (env[name]) continue;
    const where = path.join(keyDir, keyFile);
    if (!fs.existsSync(where)) {
      fs.mkdirSync(keyDir, { recursive: true });
      // 'wx': a second process starting at the same moment keeps the first one's key.
      try {
        fs.writeFileSync(where, generate(), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    env[name] = fs.readFileSync(where, 'utf8');
  }
  const added = Object.keys(allGenerators).filter((name) => !env[name] && !stored[name]);
  if (added.length > 0) {
    const lines = added.map((name) => `${name}=${allGenerators[name]()}`);
    const header = fs.existsSync(file) ? '' : '# Generated once for development by Ovation. Never commit this file.\n';
    fs.appendFileSync(file, `${header}${lines.join('\n')}\n`, { mode: 0o600 });
    Object.assign(stored, parseEnvFile(lines.join('\n')));
  }
  for (const name of Object.keys(allGenerators)) env[name] ??= stored[name];
  return pickSecrets(env);
}

function pickSecrets(env: NodeJS.ProcessEnv): Secrets {
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, env[name] as string])) as Secrets;
}

/** The secrets from the environment; in production every one is required, elsewhere missing ones are generated. */
export function secrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  const production = env.NODE_ENV === 'production';
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (production && missing.length > 0) throw new MissingSecretsError(missing);
  if (production || DEV_GENERATED.every((name) => env[name])) return pickSecrets(env);
  return ensureDevSecrets(env);
}
