import { metrics } from '@ovation/workers/jobs';

type Ctx = {
  path: string;
  method: string;
  status: number;
  body: unknown;
  type: string;
  state: { metricsRoute?: string };
  get(name: string): string;
};

/**
 * Prometheus metrics at `GET /metrics` on the cms's own port, for a scraper holding `token` (the
 * METRICS_TOKEN): 401 in Strapi's error shape without it. Without a token configured the route does
 * not exist (404), so a deployment never exposes its metrics by forgetting a setting.
 */
const metricsRoute = ({ token }: { token?: string }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (!token || ctx.path !== '/metrics' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.state.metricsRoute = '/metrics';
    if (!metrics.scrapeAuthorized(ctx.get('authorization') || undefined, token)) {
      ctx.status = 401;
      ctx.body = metrics.unauthorizedScrape();
      return;
    }
    const { contentType, body } = await metrics.renderMetrics();
    ctx.status = 200;
    ctx.type = contentType;
    ctx.body = body;
  };
};

export default metricsRoute;
