/** `npm run seed`: loads the demo into the configured database. Running it again changes nothing. */
import { createRequire } from 'module';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { secrets } from '../cms/src/lib/secrets';
import { printSeedReport, seedDemo } from '../cms/src/seed';
import { buildServer, REPO_DIR } from './lib/build';

async function main() {
  secrets(process.env);
  await buildServer();
  const cms = path.join(REPO_DIR, 'cms');
  process.env.ENV_PATH ??= path.join(cms, '.env');
  process.env.LOG_LEVEL ??= 'warn';
  const { createStrapi } = createRequire(__filename)('@strapi/strapi') as typeof import('@strapi/strapi');
  const strapi: Core.Strapi = await createStrapi({ appDir: cms, distDir: path.join(cms, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  try {
    printSeedReport(await seedDemo(strapi), (line) => console.log(line));
  } finally {
    // The ops plugin's destroy closes the job queue's Redis connections.
    await strapi.destroy();
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
