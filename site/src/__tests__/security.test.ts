import { afterEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isCrossSiteWrite } from '../lib/security';

const post = (headers: Record<string, string>) => new Request('http://site.test/vote/abc', { method: 'POST', headers });

describe('cross-site writes', () => {
  it('lets the site post to itself, and non-browser clients post at all', () => {
    expect(isCrossSiteWrite(post({ host: 'site.test', origin: 'http://site.test' }))).toBe(false);
    expect(isCrossSiteWrite(post({ host: 'internal:4321', origin: 'https://fans.example' }), 'https://fans.example')).toBe(false);
    expect(isCrossSiteWrite(post({ host: 'site.test' }))).toBe(false);
    expect(isCrossSiteWrite(new Request('http://site.test/', { headers: { origin: 'https://evil.example' } }))).toBe(false);
  });

  it('refuses posts from other sites, opaque origins and cross-site fetches', () => {
    expect(isCrossSiteWrite(post({ host: 'site.test', origin: 'https://evil.example' }))).toBe(true);
    expect(isCrossSiteWrite(post({ host: 'site.test', origin: 'null' }))).toBe(true);
    expect(isCrossSiteWrite(post({ host: 'site.test', 'sec-fetch-site': 'cross-site' }))).toBe(true);
  });
});

describe('content security policy', () => {
  afterEach(() => {
    delete process.env.MEDIA_ORIGINS;
    delete process.env.CMS_PUBLIC_URL;
  });

  it("keeps Astro's script and style hashes and adds the rest of the policy", () => {
    const astro = "script-src 'self' 'sha256-abc='; style-src 'self' 'sha256-def=';";
    const policy = contentSecurityPolicy(astro, ['https://cms.example']);
    expect(policy).toContain("script-src 'self' 'sha256-abc='");
    expect(policy).toContain("style-src 'self' 'sha256-def='");
    expect(policy).toContain("img-src 'self' data: https://cms.example");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
  });

  it("falls back to 'self' for scripts and styles when Astro sent no policy (endpoints)", () => {
    const policy = contentSecurityPolicy(null, []);
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
  });

  it('allows images from the CMS and from MEDIA_ORIGINS', () => {
    process.env.CMS_PUBLIC_URL = 'https://cms.example/';
    process.env.MEDIA_ORIGINS = 'https://cdn.example/uploads, not a url';
    expect(contentSecurityPolicy(null)).toContain("img-src 'self' data: https://cms.example https://cdn.example;");
  });
});
