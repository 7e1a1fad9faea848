import { createRequire } from 'module';
import path from 'path';
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { CMS_DIR } from './environment';

// Strapi's ESM build cannot be loaded by Node directly (directory imports); its CommonJS build can.
const { createStrapi } = createRequire(__filename)('@strapi/strapi') as typeof import('@strapi/strapi');

let booting: Promise<Core.Strapi> | undefined;

/** The real cms app, booted once per test run and shared by every test file (vitest runs them in one process). */
export function bootStrapi(): Promise<Core.Strapi> {
  booting ??= (async () => {
    const app = await createStrapi({
      appDir: CMS_DIR,
      distDir: path.join(CMS_DIR, 'dist'),
      autoReload: false,
      serveAdminPanel: false,
    }).load();
    app.server.mount();
    app.log.level = 'warn';
    return app;
  })();
  return booting;
}

let listening: Promise<string> | undefined;

/** The booted app on a real port (for browsers, event streams, load): listens once per run, shared. */
export function cmsUrl(): Promise<string> {
  listening ??= (async () => {
    const app = await bootStrapi();
    const server = app.server.httpServer;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  })();
  return listening;
}

/** supertest against the booted app's HTTP server. */
export async function http() {
  const app = await bootStrapi();
  return request(app.server.httpServer);
}

export type ApiTokenType = 'read-only' | 'full-access' | 'custom';

let tokens = 0;

/** An API token of one of Strapi's types, as an admin would create it (a custom one with these permissions). */
export async function apiToken(app: Core.Strapi, type: ApiTokenType, permissions: string[] = []) {
  tokens += 1;
  const name = `test-${type}-${Date.now().toString(36)}-${tokens}`;
  const token = await app
    .service('admin::api-token')
    .create({ name, type, lifespan: null, ...(type === 'custom' ? { permissions } : {}) });
  return token.accessKey as string;
}

/** A full-access API token, as a partner or an integration would hold. */
export function fullAccessToken(app: Core.Strapi) {
  return apiToken(app, 'full-access');
}
