import path from 'path';
import type { Core } from '@strapi/strapi';

/** The cms app the workers share (its compiled server code under cms/dist). */
export const CMS_DIR = path.resolve(process.env.OVATION_CMS_DIR ?? path.join(__dirname, '..', '..', '..', 'cms'));

/** Loads the Strapi app headless: services, database and plugins, no HTTP server, no admin panel. */
export async function loadStrapi(): Promise<Core.Strapi> {
  // Strapi reads its .env when first required, from the working directory unless told: read the cms's.
  process.env.ENV_PATH ??= path.join(CMS_DIR, '.env');
  // Plugins skip what only the web process should do (round schedules, live-update subscribers).
  process.env.OVATION_PROCESS ??= 'worker';
  const { createStrapi } = await import('@strapi/strapi');
  const app = createStrapi({
    appDir: CMS_DIR,
    distDir: path.join(CMS_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  return app.load();
}
