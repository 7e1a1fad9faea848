import { StatsParams, StatsResponse } from '../schemas';

/**
 * The partner API (versioned under /api/partner/v1). Its actions are granted to custom API tokens
 * only: "Partner › stats" (`api::partner.partner.stats`) in the token's permissions. Read-only tokens
 * (Strapi grants them every find and findOne) and the public and authenticated roles do not have it.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/partner/v1/events/:slug/stats',
      handler: 'partner.stats',
      request: { params: StatsParams },
      response: StatsResponse,
      config: { auth: { scope: ['api::partner.partner.stats'] } },
    },
  ],
};
