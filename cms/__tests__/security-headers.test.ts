/**
 * The cms's security headers come from its own `strapi::security` (src/lib/security-headers.ts: one
 * helmet per kind of request), which stands in for Strapi's (a new helmet for every request). Both run here
 * with the app's real configuration and plugins, and must send the same headers for every kind of
 * request, in development and in production. After a Strapi upgrade, a failure here means Strapi
 * changed its middleware and src/lib/security-headers.ts must follow it.
 */
import path from 'path';
import Koa from 'koa';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import security from '../src/lib/security-headers';
import { bootStrapi, http } from '../test/strapi';

type Middleware = (ctx: unknown, next: () => Promise<unknown>) => Promise<unknown>;
type Factory = (config: Record<string, unknown>, context: { strapi: Core.Strapi }) => Middleware;

const REQUESTS: [method: 'get' | 'post', path: string][] = [
  ['get', '/api/events'],
  ['get', '/_health'],
  ['get', '/graphql'],
  ['post', '/graphql'],
  ['get', '/documentation/v1.0.0'],
  ['get', '/admin'],
  ['get', '/admin/content-manager'],
  ['post', '/admin/login'],
];

describe('security headers', () => {
  let strapi: Core.Strapi;
  let config: Record<string, unknown>;
  let strapiSecurity: Factory;

  beforeAll(async () => {
    strapi = await bootStrapi();
    const entries = strapi.config.get('middlewares') as (string | { name: string; config?: Record<string, unknown> })[];
    const entry = entries.find((item) => typeof item === 'object' && item.name === 'strapi::security') as { config: Record<string, unknown> };
    config = entry.config;
    // Strapi's own, from the installed @strapi/core (not among its exports).
    strapiSecurity = require(path.join(path.dirname(require.resolve('@strapi/core/package.json')), 'dist/middlewares/security.js')).security;
  });

  const serve = (middleware: Middleware) => {
    const app = new Koa();
    app.use(middleware as Koa.Middleware);
    app.use((ctx) => {
      ctx.status = 204;
    });
    return app.callback();
  };
  const headersOf = async (handler: ReturnType<typeof serve>, method: 'get' | 'post', url: string) => {
    const { headers } = await request(handler)[method](url);
    delete headers.date;
    return headers;
  };

  const compare = async () => {
    const theirs = serve(strapiSecurity(config, { strapi }));
    const ours = serve((security as unknown as Factory)(config, { strapi }));
    for (const [method, url] of REQUESTS) {
      // Twice: the second answer comes from the helmet the first one made.
      for (let i = 0; i < 2; i += 1) expect(await headersOf(ours, method, url), `${method} ${url}`).toEqual(await headersOf(theirs, method, url));
    }
  };

  it("are Strapi's own for every kind of request, in development (the admin's exceptions) and in production", async () => {
    await compare();
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await compare();
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('are what the app sends', async () => {
    // The app's `strapi::security` is the cms's (its compiled copy), not Strapi's.
    expect(strapi.middleware('strapi::security')).not.toBe(strapiSecurity);
    expect(String(strapi.middleware('strapi::security'))).toContain('helmetFor');
    const answer = await (await http()).get('/_health');
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
