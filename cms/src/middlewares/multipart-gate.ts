import fs from 'fs';
import type { IncomingMessage } from 'http';
import { createRequire } from 'module';
import createError from 'http-errors';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { authoriseRoute } from '../lib/authorise-route';
import { multipartRouteFor, resolveMultipartRoutes, type MultipartRoute } from '../lib/multipart-routes';
import type { UploadLimits } from '../lib/upload-limits';

// The formidable strapi::body parses with (koa-body's own copy, under @strapi/core), for its error class.
const strapiCore = createRequire(require.resolve('@strapi/strapi')).resolve('@strapi/core');
const koaBody = createRequire(strapiCore).resolve('koa-body');
const { FormidableError } = (createRequire(koaBody)('formidable') as { errors: { FormidableError: new () => Error } }).errors;

type UploadedFile = { filepath?: string };

type Ctx = {
  method: string;
  path: string;
  query: Record<string, unknown>;
  req: IncomingMessage;
  headerSent: boolean;
  state: Record<string, unknown>;
  request: { length?: number; files?: Record<string, UploadedFile | UploadedFile[]> };
  is(type: string): string | false | null;
  set(name: string, value: string): void;
  unauthorized(): void;
  forbidden(): void;
};

/** formidable's refusals (a field or the files over their cap, a malformed body) in Strapi's error shape. */
function asClientError(error: unknown) {
  if (!(error instanceof FormidableError)) return error;
  const { httpCode, message } = error as Error & { httpCode?: number };
  if (httpCode === 413) return new errors.PayloadTooLargeError(message);
  return httpCode && httpCode >= 400 && httpCode < 500 ? createError(httpCode, message) : error;
}

/** The request's temporary files strapi::body left behind: it removes only those of a `files` field, and none when a later step throws. */
async function removeTemporaryFiles(ctx: Ctx) {
  const files = Object.values(ctx.request.files ?? {}).flat();
  delete ctx.request.files;
  await Promise.all(files.map((file) => file?.filepath && fs.promises.rm(file.filepath, { force: true })));
}

/**
 * Multipart bodies are read only for a caller the route would let upload. strapi::body (formidable)
 * parses every multipart body before the router authenticates, so an anonymous 100 MB upload was
 * written to disk to be answered 403. Here, first: which route would run (415 when it does not take
 * multipart), whether Strapi's own authentication, scope and policies let the caller in, and whether
 * an admin may upload at all (401/403); then a declared length over the cap is a 413. Only then is the
 * body read, by strapi::body within formidable's caps. An answer given before the body was all read
 * closes the connection, so Node does not read the rest to keep it alive.
 */
const multipartGate = (config: Pick<UploadLimits, 'maxBodyBytes' | 'tmpDir'>, { strapi }: { strapi: Core.Strapi }) => {
  let routes: Map<string, MultipartRoute> | undefined;

  const mayUpload = (ctx: Ctx, { spec }: MultipartRoute) => () => {
    if (!spec.adminPermission) return true;
    const { action, model } = spec.adminPermission(ctx.query);
    const permissions = strapi.service('admin::permission').createPermissionsManager({ ability: ctx.state.userAbility, action, model });
    if (!permissions.isAllowed) ctx.forbidden();
    return permissions.isAllowed as boolean;
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (!ctx.is('multipart')) return next();
    try {
      // Routes are registered after middlewares are created.
      routes ??= resolveMultipartRoutes(strapi);
      const target = multipartRouteFor(strapi, routes, ctx.method, ctx.path);
      if (!target) throw createError(415, 'This address does not take multipart bodies');
      if (!(await authoriseRoute(strapi, ctx, target.route, mayUpload(ctx, target)))) return;
      if ((ctx.request.length ?? 0) > config.maxBodyBytes) {
        throw new errors.PayloadTooLargeError(`The upload is over ${config.maxBodyBytes} bytes`);
      }
      // formidable writes there and does not create it (and a tmp cleaner may have removed it).
      await fs.promises.mkdir(config.tmpDir, { recursive: true });
      await next();
    } catch (error) {
      throw asClientError(error);
    } finally {
      await removeTemporaryFiles(ctx);
      if (!ctx.req.complete && !ctx.headerSent) ctx.set('Connection', 'close');
    }
  };
};

export default multipartGate;
