import { spawn, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bootStrapi } from '../../cms/test/strapi';
import { readAdminCredentials } from '../../cms/src/lib/admin-credentials';
import { REPO_DIR } from '../lib/build';

const RUN = `${Date.now().toString(36)}-${process.pid}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-seed-'));
const credentialsFile = path.join(scratch, '.admin-credentials');
// The commands as a developer runs them, on a SQLite database of their own (the laptop default).
const database = `.tmp/seed-script-${RUN}.db`;
const env = {
  ...process.env,
  DATABASE_URL: '',
  DATABASE_FILENAME: database,
  ADMIN_CREDENTIALS_FILE: credentialsFile,
  REDIS_PREFIX: `${process.env.REDIS_PREFIX}:seed-script`,
};

function npmRun(script: string, args: string[] = []) {
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (status) => resolve({ status, output }));
  });
}

function query<T>(sql: string): T {
  const db = new Database(path.join(REPO_DIR, 'cms', database), { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}
const counts = () => ({
  messages: query<{ n: number }>('select count(*) as n from messages').n,
  jobs: query<{ n: number }>('select count(*) as n from ops_jobs').n,
  welcome: query<{ n: number }>("select count(*) as n from messages where idempotency_key = 'seed:welcome-sms'").n,
});
const passwordHash = () => query<{ password: string }>("select password from admin_users where email = 'admin@ovation.local'").password;

afterAll(() => {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(REPO_DIR, 'cms', database + suffix), { force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('npm run seed, twice', () => {
  let afterFirst: ReturnType<typeof counts>;

  it('loads the demo, creates the admin, prints its password and keeps it in a file only its owner reads', async () => {
    const { status, output } = await npmRun('seed');
    expect(status, output).toBe(0);
    expect(output).toContain('Seeded: artist luna-vega');
    expect(output).toContain('welcome SMS');
    const kept = readAdminCredentials(credentialsFile);
    expect(kept?.email).toBe('admin@ovation.local');
    expect(output).toContain(`password: ${kept?.password}`);
    expect(output).toContain(`Kept in ${credentialsFile} (readable only by you).`);
    expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
    afterFirst = counts();
    expect(afterFirst.welcome).toBe(1);
  }, 120_000);

  it('the second run says nothing changed and queues nothing: the same messages and jobs', async () => {
    const { status, output } = await npmRun('seed');
    expect(status, output).toBe(0);
    expect(output).toContain('Demo already present: nothing changed.');
    expect(output).not.toMatch(/Seeded:|Admin user created|password:/);
    expect(counts()).toEqual(afterFirst);
  }, 120_000);
});

describe('npm run admin:password', () => {
  it('gives the admin a new generated password, prints it and keeps it in the file; the old one stops working', async () => {
    const strapi = await bootStrapi();
    const auth = strapi.service('admin::auth');
    const old = readAdminCredentials(credentialsFile)?.password as string;
    expect(await auth.validatePassword(old, passwordHash())).toBe(true);

    const { status, output } = await npmRun('admin:password');
    expect(status, output).toBe(0);
    const kept = readAdminCredentials(credentialsFile)?.password as string;
    expect(kept).not.toBe(old);
    expect(output).toContain(`password: ${kept}`);
    expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(await auth.validatePassword(kept, passwordHash())).toBe(true);
    expect(await auth.validatePassword(old, passwordHash())).toBe(false);
  }, 120_000);

  it("or Strapi's own command in cms/ sets one you choose", async () => {
    const strapi = await bootStrapi();
    const chosen = `Chosen-${RUN}-Passw0rd`;
    const reset = spawnSync('npx', ['strapi', 'admin:reset-user-password', '--email', 'admin@ovation.local', '--password', chosen], {
      cwd: path.join(REPO_DIR, 'cms'),
      env,
      encoding: 'utf8',
    });
    expect(reset.status, reset.stdout + reset.stderr).toBe(0);
    expect(await strapi.service('admin::auth').validatePassword(chosen, passwordHash())).toBe(true);
  }, 120_000);

  it('names the problem when no admin has that email', async () => {
    const { status, output } = await npmRun('admin:password', ['--email', 'nobody@ovation.local']);
    expect(status).toBe(1);
    expect(output).toContain('No admin has the email nobody@ovation.local');
  }, 120_000);
});
