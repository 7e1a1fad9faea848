import { describe, expect, it } from 'vitest';
import { CallerError, identifyCaller, siteTokenMatcher } from '../callers';
import { addressKey, budgetOf } from '../request-budgets';

const isSiteToken = siteTokenMatcher('the-site-token');

describe('who is calling', () => {
  it('takes anyone without the site token by their own address, whatever they claim', () => {
    expect(identifyCaller({ address: '198.51.100.1', clientAddress: '10.0.0.1' }, isSiteToken)).toEqual({ kind: 'direct', address: '198.51.100.1' });
  });

  it('believes a forwarded address only with the site token', () => {
    expect(identifyCaller({ address: '10.1.1.1', siteToken: 'the-site-token', clientAddress: '2001:db8::7' }, isSiteToken)).toEqual({ kind: 'fan', address: '2001:db8::7' });
    expect(identifyCaller({ address: '10.1.1.1', siteToken: 'the-site-token' }, isSiteToken)).toEqual({ kind: 'site' });
  });

  it('refuses a wrong site token (401) and an address that is not one (400)', () => {
    const refusal = (request: Parameters<typeof identifyCaller>[0]) => {
      try {
        identifyCaller(request, isSiteToken);
      } catch (error) {
        return (error as CallerError).status;
      }
    };
    expect(refusal({ address: '10.1.1.1', siteToken: 'guess', clientAddress: '10.0.0.1' })).toBe(401);
    expect(refusal({ address: '10.1.1.1', siteToken: 'the-site-token', clientAddress: 'everyone' })).toBe(400);
    // Without a configured token nothing matches.
    expect(() => identifyCaller({ address: '10.1.1.1', siteToken: 'x' }, siteTokenMatcher(undefined))).toThrow(CallerError);
  });
});

describe('which budget a request spends', () => {
  it('counts credentials by their hash, the site on its own, fans and anonymous callers by a keyed hash of their address', () => {
    const keyOf = addressKey('an-app-key');
    const credential = budgetOf({ kind: 'direct', address: '198.51.100.1' }, 'Bearer secret-token', keyOf);
    expect(credential.budget).toBe('credential');
    expect(credential.key).not.toContain('secret-token');
    expect(credential.key).toMatch(/^[0-9a-f]{32}$/);
    expect(budgetOf({ kind: 'site' }, undefined, keyOf)).toEqual({ budget: 'site', key: 'site' });
    const fan = budgetOf({ kind: 'fan', address: '192.0.2.4' }, undefined, keyOf);
    expect(fan).toEqual({ budget: 'fan', key: keyOf('192.0.2.4') });
    expect(fan.key).not.toContain('192.0.2.4');
    expect(budgetOf({ kind: 'direct', address: '192.0.2.4' }, undefined, keyOf)).toEqual({ budget: 'anonymous', key: fan.key });
    // Another deployment's key names the same address differently.
    expect(addressKey('another-key')('192.0.2.4')).not.toBe(fan.key);
  });
});
