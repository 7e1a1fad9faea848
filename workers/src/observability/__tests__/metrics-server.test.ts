import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../scripts/lib/ports';
import { startMetricsServer } from '../metrics-server';

/** The workers' /metrics: only with METRICS_TOKEN, only to a bearer of it. */
describe('the workers’ metrics server', () => {
  const logged: string[] = [];
  const logger = winston.createLogger({
    transports: [new winston.transports.Console({ silent: true })],
    format: winston.format((info) => (logged.push(String(info.message)), info))(),
  });

  it('serves nothing without METRICS_TOKEN, and says so', async () => {
    const port = await freePort();
    expect(await startMetricsServer({ port, token: undefined, host: '127.0.0.1', logger })).toBeNull();
    expect(logged.join('\n')).toMatch(/METRICS_TOKEN is not: metrics are not served/);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('answers 401 in Strapi’s error shape without the token, the metrics with it, 404 elsewhere', async () => {
    const port = await freePort();
    const server = await startMetricsServer({ port, token: 'scrape-token-123456', host: '127.0.0.1', logger });
    try {
      const url = `http://127.0.0.1:${port}`;
      const refused = await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer nope' } });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ data: null, error: { status: 401, name: 'UnauthorizedError' } });
      const ok = await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer scrape-token-123456' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^# TYPE ovation_job_duration_seconds histogram$/m);
      expect((await fetch(`${url}/other`, { headers: { Authorization: 'Bearer scrape-token-123456' } })).status).toBe(404);
    } finally {
      await server?.close();
    }
  });
});
