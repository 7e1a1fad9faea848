/**
 * `npm run dev`: everything Ovation needs on a laptop, with one command.
 * Secrets are generated once into cms/.env, Redis is found (or started), what is stale is built,
 * the demo is seeded into an empty database, then the cms, the workers and the site run together.
 * Each stage says what it does and about how long it takes; the first start takes minutes.
 */
import path from 'path';
import { adminCredentialsFile } from '../cms/src/lib/admin-credentials';
import { ensureDevSecrets } from '../cms/src/lib/secrets';
import { planAdminBuild, REPO_DIR } from './lib/build';
import { createSupervisor } from './lib/processes';
import { createProgress, estimateOf, formatDuration, type Stage } from './lib/progress.mjs';
import { readyBanner } from './lib/ready-banner';
import { ensureRedis, RedisUnavailableError } from './lib/redis';
import { redisUrlFromEnv } from '../workers/src/settings';

const bin = (name: string) => path.join(REPO_DIR, 'node_modules', '.bin', name);
const HEALTH_TIMEOUT_MS = 180_000;

class NotUpError extends Error {}

async function waitForHealth(url: string, timeoutMs = HEALTH_TIMEOUT_MS) {
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
  const startedAt = Date.now();
  const cmsPort = process.env.PORT || '1337';
  const sitePort = process.env.SITE_PORT || '4321';
  const cmsUrl = `http://127.0.0.1:${cmsPort}`;
  const redisUrl = redisUrlFromEnv();

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

  const env = { ...process.env, REDIS_URL: redisUrl, SITE_URL: process.env.SITE_URL || `http://localhost:${sitePort}`, FORCE_COLOR: '1' };
  const start: Stage<void> = {
    key: 'start',
    label: 'Start the cms, the workers and the site',
    estimateMs: 40_000,
    run: async () => {
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
      if (!(await waitForHealth(`${cmsUrl}/_health`))) throw new NotUpError(`${cmsUrl}/_health`);
    },
  };

  const stages = [...planAdminBuild(), start];
  if (stages.length > 1) {
    const total = stages.reduce((sum, stage) => sum + estimateOf(stage), 0);
    console.log(`Ovation needs ${stages.length} stages before it is up, about ${formatDuration(total)} in all (builds run only when their sources change).`);
  }
  const progress = createProgress({ total: stages.length });
  try {
    for (const stage of stages) await progress.run(stage);
  } catch (error) {
    if (!(error instanceof NotUpError)) throw error;
    // Left running: a busy machine may only be slow.
    console.error(`\nThe cms did not answer ${error.message} within ${formatDuration(HEALTH_TIMEOUT_MS)}: its log is above. Ctrl-C stops everything.\n`);
    return;
  }
  console.log(readyBanner({ cmsPort, sitePort, startedAt, credentialsFile: adminCredentialsFile(env) }).join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
