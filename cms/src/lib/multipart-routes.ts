/**
 * The routes that read a multipart body, found in Strapi 5.54 by the controllers that read
 * `ctx.request.files` (the Media Library's and the content API's upload, the admin's project
 * logos). The multipart gate lets a multipart body through only to one of these, and only for a
 * caller the route itself would let in; every other multipart request is refused unread.
 */
import type { Core } from '@strapi/strapi';

const FILE = 'plugin::upload.file';

export type MultipartRouteSpec = {
  /** Who declares the route: `admin`, or a plugin's name. */
  owner: string;
  /** Its router there (`admin`, `content-api`). */
  router: string;
  handler: string;
  /**
   * What an admin must be allowed on files, checked by the controller only after the body is
   * read; absent where the route's own scope or policies already decide.
   */
  adminPermission?: (query: Record<string, unknown>) => { action: string; model: string };
};

const create = () => ({ action: 'plugin::upload.assets.create', model: FILE });
const update = () => ({ action: 'plugin::upload.assets.update', model: FILE });

export const MULTIPART_ROUTES: MultipartRouteSpec[] = [
  // The logos; the route's hasPermissions policy says who.
  { owner: 'admin', router: 'admin', handler: 'admin.updateProjectSettings' },
  // The Media Library: a new file, or with ?id= a new version or new details of one.
  { owner: 'upload', router: 'admin', handler: 'admin-upload.upload', adminPermission: (query) => (query.id ? update() : create()) },
  { owner: 'upload', router: 'admin', handler: 'admin-upload.uploadFile', adminPermission: create },
  { owner: 'upload', router: 'admin', handler: 'admin-upload.replaceFile', adminPermission: update },
  { owner: 'upload', router: 'admin', handler: 'admin-upload.updateFileInfo', adminPermission: update },
  // The content API; its scope (plugin::upload.content-api.upload) says who.
  { owner: 'upload', router: 'content-api', handler: 'content-api.upload' },
  // An artist's picture (plugins/artist-portal); the Artist role's permission says who.
  { owner: 'artist-portal', router: 'content-api', handler: 'artist.uploadAvatar' },
];

export type MultipartRoute = { spec: MultipartRouteSpec; route: Core.Route };

type Router = { type?: string; prefix?: string; routes: Core.Route[] };

/** @koa/router's prefixing: a route at `/` is served at its prefix alone. */
const prefixed = (prefix: string, path: string) => (path === '/' && prefix ? prefix : `${prefix}${path}`);

/**
 * The registered route objects (with Strapi's auth scope and type filled in), keyed by the method
 * and full path the router serves them at. Throws when one is missing, so a Strapi upgrade that
 * moves a route fails loudly instead of refusing every upload with 415.
 */
export function resolveMultipartRoutes(strapi: Core.Strapi): Map<string, MultipartRoute> {
  const resolved = new Map<string, MultipartRoute>();
  for (const spec of MULTIPART_ROUTES) {
    const routers = (spec.owner === 'admin' ? strapi.admin?.routes : strapi.plugin(spec.owner)?.routes) as Record<string, Router> | undefined;
    const router = routers?.[spec.router];
    const route = router?.routes?.find((candidate) => candidate.handler === spec.handler);
    if (!router || !route) throw new Error(`multipart gate: no ${spec.router} route ${spec.handler} in ${spec.owner} (see src/lib/multipart-routes.ts)`);
    const apiPrefix = router.type === 'content-api' ? strapi.config.get('api.rest.prefix', '/api') : '';
    resolved.set(`${route.method} ${prefixed(apiPrefix, prefixed(router.prefix ?? '', route.path))}`, { spec, route });
  }
  return resolved;
}

/** The multipart route Strapi's router would run for this request, if it is one. */
export function multipartRouteFor(strapi: Core.Strapi, routes: Map<string, MultipartRoute>, method: string, path: string) {
  const matched = strapi.server.router.match(path, method).pathAndMethod as { methods: string[]; path: string }[];
  // The first with methods is the route; the others are router middleware (allowedMethods).
  const layer = matched.find((candidate) => candidate.methods.length > 0);
  return layer ? routes.get(`${method} ${layer.path}`) : undefined;
}
