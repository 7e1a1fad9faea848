import type { Core } from '@strapi/strapi';
import { SHORT_LINK_PATH } from './short-links';

/**
 * GET /l/:code on the cms's own origin (not under /api, to keep SMS short): the route is the
 * plugin's tracking controller; the cms's per-address request budget covers /l/ (config/middlewares.ts).
 */
export function registerShortLinkRoute(strapi: Core.Strapi) {
  const controller = strapi.plugin('crm').controller('tracking') as { follow(ctx: unknown): Promise<void> };
  strapi.server.routes([{ method: 'GET', path: `${SHORT_LINK_PATH}/:code`, handler: (ctx: unknown) => controller.follow(ctx), config: { auth: false } }]);
}
