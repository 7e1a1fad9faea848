/**
 * `npm run dev`: everything Ovation needs on a laptop, with one command.
 * Secrets are generated once into cms/.env, Redis is found (or started), what is stale is built,
 * the demo is seeded into an empty database, then the cms, the workers and the site run together.
 */
import path from 'path';
import { ensureDevSecrets } from '../cms/src/lib/secrets';
import { buildAdmin, REPO_DIR } from './lib/build';
import { createSupervisor } from './lib/processes';
import { ensureRedis, RedisUnavailableError } from './lib/redis';

const bin = (name: string) => path.join(REPO_DIR, 'node_modules', '.bin', name);

async function waitForHealth(url: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status < 500) return true;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

async function main() {
  const started = Date.now();
  const cmsPort = process.env.PORT || '1337';
  const sitePort = process.env.SITE_PORT || '4321';
  const cmsUrl = `http://127.0.0.1:${cmsPort}`;
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

  ensureDevSecrets(process.env);
  const supervisor = createSupervisor();

  try {
    const redis = await ensureRedis(redisUrl);
    if (redis) {
      console.log(`Started redis-server for ${redisUrl} (data under .data/redis)`);
      supervisor.adopt('redis', redis);
    }
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  await buildAdmin();

  const env = { ...process.env, REDIS_URL: redisUrl, SITE_URL: process.env.SITE_URL || `http://localhost:${sitePort}`, FORCE_COLOR: '1' };
  supervisor.start('cms', bin('strapi'), ['start'], {
    cwd: path.join(REPO_DIR, 'cms'),
    env: { ...env, PORT: cmsPort, OVATION_SEED_ON_EMPTY: 'true', STRAPI_TELEMETRY_DISABLED: 'true' },
  });
  supervisor.start('workers', process.execPath, [path.join(REPO_DIR, 'workers', 'dist', 'main.js')], {
    cwd: REPO_DIR,
    env: { ...env, CMS_URL: cmsUrl },
  });
  supervisor.start('site', bin('astro'), ['dev', '--port', sitePort, '--host', '127.0.0.1'], {
    cwd: path.join(REPO_DIR, 'site'),
    env: { ...env, CMS_URL: cmsUrl },
  });

  if (await waitForHealth(`${cmsUrl}/_health`)) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      [
        '',
        `Ovation is up (${seconds} s). Ctrl-C stops everything.`,
        `  Admin:    http://localhost:${cmsPort}/admin`,
        `  REST:     http://localhost:${cmsPort}/api/events`,
        `  GraphQL:  http://localhost:${cmsPort}/graphql`,
        `  Site:     http://localhost:${sitePort}`,
        '',
      ].join('\n')
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
