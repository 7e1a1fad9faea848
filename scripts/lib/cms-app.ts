import { createRequire } from 'module';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { asScript } from '../../cms/src/lib/audit';
import { secrets } from '../../cms/src/lib/secrets';
import { buildServer, REPO_DIR } from './build';

/**
 * Runs `task` on the cms app loaded headless (no HTTP server, no admin panel) on the configured
 * database, for one-off commands: `npm run seed`, `npm run admin:password`. Builds what is stale first.
 */
export async function withCms<T>(task: (strapi: Core.Strapi) => Promise<T>): Promise<T> {
  secrets(process.env);
  await buildServer();
  const cms = path.join(REPO_DIR, 'cms');
  process.env.ENV_PATH ??= path.join(cms, '.env');
  process.env.LOG_LEVEL ??= 'warn';
  const { createStrapi } = createRequire(__filename)('@strapi/strapi') as typeof import('@strapi/strapi');
  const strapi: Core.Strapi = await createStrapi({ appDir: cms, distDir: path.join(cms, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  try {
    // The audit trail records the command's writes under its name: `seed`, `admin-password`.
    return await asScript(strapi, path.basename(process.argv[1] ?? 'script').replace(/\.[cm]?[jt]s$/, ''), () => task(strapi));
  } finally {
    // Also closes the job queue's Redis connections (the ops plugin's destroy).
    await strapi.destroy();
  }
}
