import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { buildOpenApiDocument } from '../../../lib/openapi';

type Ctx = { body: unknown; status: number; set(name: string, value: string): void; get(name: string): string };

/** `GET /api/openapi.json`: the routes do not change while the process runs, so it is built once. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let built: { body: string; etag: string } | undefined;
  return {
    async document(ctx: Ctx) {
      if (!built) {
        const body = JSON.stringify(buildOpenApiDocument(strapi), null, 2);
        built = { body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      ctx.set('ETag', built.etag);
      ctx.set('Cache-Control', 'public, max-age=300');
      if (ctx.get('If-None-Match') === built.etag) {
        ctx.status = 304;
        return;
      }
      ctx.set('Content-Type', 'application/json; charset=utf-8');
      ctx.body = built.body;
    },
  };
};
