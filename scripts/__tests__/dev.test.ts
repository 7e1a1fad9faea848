import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredentialsFile } from '../../cms/src/lib/admin-credentials';
import { REPO_DIR } from '../lib/build';
import { startCms, type CmsProcess } from '../lib/cms-process';
import { freePort } from '../lib/ports';
import { readyBanner } from '../lib/ready-banner';

const RUN = `${Date.now().toString(36)}-${process.pid}`;

// `npm run dev` without the admin build and the site: the cms as dev starts it (seeding an empty
// SQLite database), then the banner dev prints once /_health answers.
describe('npm run dev: the first start on an empty database', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-dev-'));
  const credentialsFile = path.join(scratch, '.admin-credentials');
  const database = `.tmp/dev-test-${RUN}.db`;
  let cms: CmsProcess;
  let startedAt: number;
  let port: number;

  beforeAll(async () => {
    startedAt = Date.now();
    port = await freePort();
    cms = await startCms(
      {
        OVATION_SEED_ON_EMPTY: 'true',
        DATABASE_URL: '',
        DATABASE_FILENAME: database,
        ADMIN_CREDENTIALS_FILE: credentialsFile,
        // Its queue keys apart from the shared test app's (and removed with them after the run).
        REDIS_PREFIX: `${process.env.REDIS_PREFIX}:dev`,
        // As `npm run dev` logs: the seed's report is an info line.
        LOG_LEVEL: 'info',
      },
      port
    );
  }, 180_000);

  afterAll(async () => {
    await cms?.stop();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(REPO_DIR, 'cms', database + suffix), { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('repeats the new admin’s email and password in the ready banner, and they sign in', async () => {
    const banner = readyBanner({ cmsPort: String(port), sitePort: '4321', startedAt, credentialsFile }).join('\n');
    const email = /email: +(\S+)/.exec(banner)?.[1];
    const password = /password: +(\S+)/.exec(banner)?.[1];
    expect(email).toBe('admin@ovation.local');
    expect(password).toMatch(/.{12,}/);
    expect(banner).toContain(`Kept in ${credentialsFile} (readable only by you).`);
    // What the cms printed when it created them is the same.
    expect(cms.output()).toContain(password);

    const login = await fetch(`${cms.url}/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
  });

  it('lists the admin, the APIs, the site, liveness and readiness, and the addresses answer', async () => {
    const banner = readyBanner({ cmsPort: String(port), sitePort: '4321', startedAt, credentialsFile });
    for (const address of ['/admin', '/api/events', '/graphql', '/_health', '/_ready']) {
      expect(banner.some((line) => line.endsWith(`http://localhost:${port}${address}`)), address).toBe(true);
    }
    expect(banner.some((line) => line.endsWith('http://localhost:4321'))).toBe(true);
    expect((await fetch(`${cms.url}/_health`)).status).toBe(204);
    expect((await fetch(`${cms.url}/_ready`)).status).toBe(200);
  });

  it('keeps the credentials in a file only its owner can read', () => {
    expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(scratch)).toEqual(['.admin-credentials']);
  });

  it('on a later start names the file instead of printing the password again', () => {
    const later = readyBanner({ cmsPort: String(port), sitePort: '4321', startedAt: Date.now() + 1, credentialsFile }).join('\n');
    expect(later).not.toMatch(/password:/);
    expect(later).toContain(`Admin sign-in: in ${credentialsFile}. Lost the password? npm run admin:password`);
  });
});

describe('where the admin’s credentials are kept', () => {
  it('cms/.admin-credentials in development, nowhere in tests and production unless ADMIN_CREDENTIALS_FILE says', () => {
    expect(adminCredentialsFile({})).toBe(path.join(REPO_DIR, 'cms', '.admin-credentials'));
    expect(adminCredentialsFile({ NODE_ENV: 'development' })).toBe(path.join(REPO_DIR, 'cms', '.admin-credentials'));
    expect(adminCredentialsFile({ NODE_ENV: 'test' })).toBeUndefined();
    expect(adminCredentialsFile({ NODE_ENV: 'production' })).toBeUndefined();
    expect(adminCredentialsFile({ NODE_ENV: 'production', ADMIN_CREDENTIALS_FILE: '/run/ovation/admin' })).toBe('/run/ovation/admin');
  });

  it('git and docker builds ignore cms/.admin-credentials and a half-written one', () => {
    const ignored = spawnSync('git', ['check-ignore', 'cms/.admin-credentials', 'cms/.admin-credentials.4242.partial'], { cwd: REPO_DIR, encoding: 'utf8' });
    expect(ignored.stdout.trim().split('\n')).toEqual(['cms/.admin-credentials', 'cms/.admin-credentials.4242.partial']);
    expect(fs.readFileSync(path.join(REPO_DIR, '.dockerignore'), 'utf8')).toMatch(/^\*\*\/\.admin-credentials\*$/m);
  });
});
