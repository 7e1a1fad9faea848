import http from 'http';
import type { AddressInfo } from 'net';
import type { Logger } from '../logger';
import { renderMetrics, scrapeAuthorized, unauthorizedScrape } from './metrics';

/**
 * The workers' `/metrics` on WORKER_METRICS_PORT, behind the same bearer token as the cms's
 * (METRICS_TOKEN). Without the token nothing is served: metrics name job types and volumes, which
 * are nobody's business but the operator's.
 */
export async function startMetricsServer({ port, token, host = '0.0.0.0', logger }: { port: number; token: string | undefined; host?: string; logger: Logger }) {
  if (!token) {
    logger.warn('WORKER_METRICS_PORT is set but METRICS_TOKEN is not: metrics are not served');
    return null;
  }
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return json(404, { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } });
    }
    if (!scrapeAuthorized(req.headers.authorization, token)) return json(401, unauthorizedScrape());
    renderMetrics().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : body),
      (error: Error) => json(500, { data: null, error: { status: 500, name: 'InternalServerError', message: error.message, details: {} } })
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  logger.info(`Metrics served on port ${(server.address() as AddressInfo).port} at /metrics`);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
