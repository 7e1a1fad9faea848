import { spawnSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevSecrets, secrets, MissingSecretsError } from '../src/lib/secrets';

describe('development secrets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-dev-secrets-'));
  const envFile = path.join(dir, '.env');
  const keyDir = path.join(dir, '.tmp');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates the audit signing key once into .tmp (owner-only), not into .env, and keeps it from one start to the next', () => {
    const first: NodeJS.ProcessEnv = {};
    ensureDevSecrets(first, envFile, keyDir);
    const keyFile = path.join(keyDir, 'audit-signing-key.pem');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(crypto.createPrivateKey(first.AUDIT_SIGNING_KEY as string).asymmetricKeyType).toBe('ed25519');
    expect(fs.readFileSync(envFile, 'utf8')).not.toContain('AUDIT_SIGNING_KEY');

    const second: NodeJS.ProcessEnv = {};
    ensureDevSecrets(second, envFile, keyDir);
    expect(second.AUDIT_SIGNING_KEY).toBe(first.AUDIT_SIGNING_KEY);
    // One given in the environment wins, and nothing is generated for it.
    const given: NodeJS.ProcessEnv = { AUDIT_SIGNING_KEY: 'from-the-environment' };
    ensureDevSecrets(given, envFile, keyDir);
    expect(given.AUDIT_SIGNING_KEY).toBe('from-the-environment');
    // So does one written into cms/.env by hand (one line of base64).
    fs.appendFileSync(envFile, 'AUDIT_SIGNING_KEY=from-the-env-file\n');
    const fromFile: NodeJS.ProcessEnv = {};
    ensureDevSecrets(fromFile, envFile, keyDir);
    expect(fromFile.AUDIT_SIGNING_KEY).toBe('from-the-env-file');
  });

  it('generates the key into the real process.env of `npm run dev`, which turns any value it is given into a string', () => {
    const freshKeyDir = fs.mkdirSync(path.join(dir, 'fresh-clone'), { recursive: true }) as string;
    const script = `
      const { ensureDevSecrets } = require(${JSON.stringify(path.resolve(__dirname, '../src/lib/secrets.ts'))});
      ensureDevSecrets(process.env, ${JSON.stringify(path.join(freshKeyDir, '.env'))}, ${JSON.stringify(freshKeyDir)});
      process.stdout.write(require('crypto').createPrivateKey(process.env.AUDIT_SIGNING_KEY).asymmetricKeyType);`;
    const env = { ...process.env };
    delete env.AUDIT_SIGNING_KEY;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('ed25519');
  });

  it('is required in production, like every other secret', () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' };
    ensureDevSecrets(env, envFile, keyDir);
    delete env.AUDIT_SIGNING_KEY;
    expect(() => secrets(env)).toThrow(MissingSecretsError);
    expect(() => secrets(env)).toThrow(/AUDIT_SIGNING_KEY/);
  });
});
