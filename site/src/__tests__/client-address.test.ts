import { describe, expect, it } from 'vitest';
import { clientAddress, proxySettings } from '../../server.mjs';
import { createStreamSlots } from '../lib/stream-slots';

describe("the fan's address as the site's server sees it", () => {
  it('is the peer, whatever X-Forwarded-For a client writes, unless a proxy is trusted', () => {
    expect(clientAddress('127.0.0.9', '203.0.113.5')).toBe('127.0.0.9');
    expect(clientAddress('127.0.0.9', undefined, { trustProxy: true, hops: 1 })).toBe('127.0.0.9');
  });

  it('behind trusted proxies, is the entry the nearest ones appended, not what the client wrote first', () => {
    // client wrote 203.0.113.5; the balancer appended the address it saw, 198.51.100.7.
    expect(clientAddress('10.0.0.2', '203.0.113.5, 198.51.100.7', { trustProxy: true, hops: 1 })).toBe('198.51.100.7');
    // A CDN and then a balancer: two hops.
    expect(clientAddress('10.0.0.2', '203.0.113.5, 198.51.100.7, 10.9.9.9', { trustProxy: true, hops: 2 })).toBe('198.51.100.7');
    expect(proxySettings({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' })).toEqual({ trustProxy: true, hops: 2 });
    expect(proxySettings({})).toEqual({ trustProxy: false, hops: 1 });
  });
});

describe('live stream slots', () => {
  it('caps streams per address and in all, and gives a slot back once', () => {
    const slots = createStreamSlots(() => ({ perClient: 2, perProcess: 3 }));
    const a1 = slots.take('a')!;
    const a2 = slots.take('a')!;
    expect(slots.take('a')).toBeUndefined();
    const b1 = slots.take('b')!;
    expect(slots.take('c')).toBeUndefined();
    a1();
    a1();
    expect(slots.open).toBe(2);
    expect(slots.take('c')).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
    a2();
    b1();
  });
});
