import dns from 'dns';
import http from 'http';
import type { AddressInfo } from 'net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEndpoint, isForbiddenAddress, urlProblem } from '../address-guard';
import { createDeliverer } from '../deliver';
import { webhookSettings } from '../settings';

const settings = (env: Record<string, string> = {}) => webhookSettings({ ...env } as NodeJS.ProcessEnv);
/** A resolver that answers `address` for every name, as a DNS server an attacker controls would. */
const resolvingTo = (address: string) => (async () => [{ address, family: address.includes(':') ? 6 : 4 }]) as never;

describe('the webhook address guard', () => {
  let server: http.Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
      else res.writeHead(200).end('x'.repeat(5_000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  it('refuses loopback, private, link-local, metadata, CGNAT and IPv6 local addresses, and allows public ones', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isForbiddenAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111']) expect(isForbiddenAddress(address), address).toBe(false);
  });

  it('refuses URLs naming such addresses, other schemes and credentials; plain http in production', async () => {
    for (const url of ['http://127.0.0.1/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://[::ffff:7f00:1]/hook']) {
      expect(urlProblem(url, settings()), url).toMatch(/private or reserved/);
      await expect(checkEndpoint(url, { settings: settings() })).rejects.toThrow(/private or reserved/);
    }
    expect(urlProblem('ftp://example.com/x', settings())).toMatch(/https/);
    expect(urlProblem('https://user:pw@example.com/x', settings())).toMatch(/credentials/);
    expect(urlProblem('http://example.com/x', settings({ NODE_ENV: 'production' }))).toBe('must use https');
    expect(urlProblem('not a url', settings())).toBe('is not a URL');
  });

  it('refuses a name that resolves to a private address (localhost, or what a hostile DNS answers)', async () => {
    await expect(checkEndpoint('http://localhost:9/hook', { settings: settings() })).rejects.toThrow(/localhost is 127\.0\.0\.1/);
    await expect(checkEndpoint('https://partner.example/hook', { settings: settings(), lookup: resolvingTo('10.0.0.1') })).rejects.toThrow(/10\.0\.0\.1/);
    await expect(checkEndpoint('https://partner.example/hook', { settings: settings(), lookup: resolvingTo('93.184.216.34') })).resolves.toBeUndefined();
  });

  it('checks the address again at connect time, so a name rebound to a private address after it was saved is refused', async () => {
    // The name passed when saved (a public address); at delivery time it resolves to the local receiver.
    const rebinding = ((hostname: string, options: unknown, callback: (error: null, addresses: dns.LookupAddress[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof dns.lookup;
    const deliverer = createDeliverer({ lookup: rebinding });
    const before = hits.length;
    const result = await deliverer.post(`http://partner.example:${port}/hook`, {}, '{}', settings());
    deliverer.close();
    expect(result).toMatchObject({ outcome: 'refused', status: null });
    expect(result.response).toMatch(/private or reserved address \(127\.0\.0\.1\)/);
    expect(hits.length).toBe(before);
  });

  it('reaches an allowlisted receiver, keeps the first kilobyte, never follows a redirect and gives up at the timeout', async () => {
    const deliverer = createDeliverer();
    const allow = settings({ WEBHOOKS_ALLOW_HOSTS: `127.0.0.1:${port}`, WEBHOOKS_TIMEOUT_MS: '500' });
    const ok = await deliverer.post(`http://127.0.0.1:${port}/ok`, {}, '{}', allow);
    expect(ok).toMatchObject({ outcome: 'succeeded', status: 200 });
    expect(ok.response).toHaveLength(1024);
    const moved = await deliverer.post(`http://127.0.0.1:${port}/moved`, {}, '{}', allow);
    expect(moved).toMatchObject({ outcome: 'failed', status: 302 });
    expect(hits).not.toContain('/elsewhere');
    const slow = await deliverer.post(`http://127.0.0.1:${port}/slow`, {}, '{}', allow);
    expect(slow).toMatchObject({ outcome: 'timeout', status: null });
    expect(slow.durationMs).toBeLessThan(1_500);
    // Another port of the same address is not on the allowlist.
    expect(await deliverer.post(`http://127.0.0.1:${port + 1}/ok`, {}, '{}', allow)).toMatchObject({ outcome: 'refused' });
    deliverer.close();
  });
});
