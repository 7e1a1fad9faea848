import { describe, expect, it } from 'vitest';
import { redactUrl } from '../redact-url';

describe('URLs as they are logged', () => {
  it('hide voting tokens and secrets in query strings, and keep the rest', () => {
    expect(redactUrl('/api/sms-voting/tokens/AbCdEf123456_-xyz')).toBe('/api/sms-voting/tokens/[redacted]');
    expect(redactUrl('/api/sms-voting/tokens/AbCd?locale=es')).toBe('/api/sms-voting/tokens/[redacted]?locale=es');
    expect(redactUrl('/api/artist-portal/claims/zuXXQwWKnREezKRsDICFtg.lTi-W5AzAnnzHMs8D4G1')).toBe('/api/artist-portal/claims/[redacted]');
    expect(redactUrl('/es/artist/claim/zuXXQwWKnREezKRsDICFtg.lTi')).toBe('/es/artist/claim/[redacted]');
    expect(redactUrl('/api/auth/email-confirmation?confirmation=s3cr3t')).toBe('/api/auth/email-confirmation?confirmation=[redacted]');
    expect(redactUrl('/api/events?filters[slug][$eq]=x&token=abc&Code=9')).toBe('/api/events?filters[slug][$eq]=x&token=[redacted]&Code=[redacted]');
    expect(redactUrl('/api/events?populate=*')).toBe('/api/events?populate=*');
  });
});
