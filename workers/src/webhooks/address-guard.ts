import dns from 'dns';
import net from 'net';
import { webhookSettings, type WebhookSettings } from './settings';

/**
 * Where a webhook may never go: the machine itself, private networks, link-local (cloud metadata
 * at 169.254.169.254), CGNAT, multicast and reserved ranges, in IPv4 and IPv6 (IPv4-mapped too).
 */
const forbidden = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) forbidden.addSubnet(network, prefix, 'ipv6');

/** Whether an address is one a webhook must not reach. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return forbidden.check(mapped[1], 'ipv4');
  return forbidden.check(address, 'ipv6');
}

export class ForbiddenDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenDestinationError';
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
const allowed = (url: URL, settings: WebhookSettings) => {
  const host = bare(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return settings.allowHosts.includes(host) || settings.allowHosts.includes(`${host}:${port}`) || settings.allowHosts.includes(`[${host}]:${port}`);
};

/** What is wrong with an endpoint URL before any lookup (scheme, credentials, a forbidden literal address), or null. */
export function urlProblem(raw: string, settings = webhookSettings()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (settings.httpsOnly && url.protocol !== 'https:') return 'must use https';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https (or http outside production)';
  if (url.username || url.password) return 'must not contain credentials';
  const host = bare(url.hostname);
  if (net.isIP(host) && isForbiddenAddress(host) && !allowed(url, settings)) return `points at a private or reserved address (${host})`;
  return null;
}

type Lookup = (hostname: string, options: dns.LookupAllOptions) => Promise<dns.LookupAddress[]>;
const systemLookup: Lookup = (hostname, options) => dns.promises.lookup(hostname, options);

/** Resolves the URL's host and refuses it if any of its addresses is forbidden (a save-time check). */
export async function checkEndpoint(raw: string, { settings = webhookSettings(), lookup = systemLookup }: { settings?: WebhookSettings; lookup?: Lookup } = {}) {
  const problem = urlProblem(raw, settings);
  if (problem) throw new ForbiddenDestinationError(problem);
  const url = new URL(raw);
  if (allowed(url, settings) || net.isIP(bare(url.hostname))) return;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await lookup(bare(url.hostname), { all: true });
  } catch {
    throw new ForbiddenDestinationError(`does not resolve (${url.hostname})`);
  }
  const bad = addresses.find((entry) => isForbiddenAddress(entry.address));
  if (bad) throw new ForbiddenDestinationError(`resolves to a private or reserved address (${url.hostname} is ${bad.address})`);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the delivery agents: the addresses a connection is about to use are checked at that
 * moment, so a name that resolved to a public address when it was saved and to a private one now
 * (DNS rebinding) is refused.
 */
export function guardedLookup(lookup: typeof dns.lookup = dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as unknown as dns.LookupAddress[];
      const bad = list.find((entry) => isForbiddenAddress(entry.address));
      if (bad) {
        const refusal = new ForbiddenDestinationError(`${hostname} resolves to a private or reserved address (${bad.address})`) as NodeJS.ErrnoException;
        refusal.code = 'EFORBIDDEN';
        return callback(refusal, '');
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

export { allowed as isAllowlisted };
