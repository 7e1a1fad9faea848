import { afterEach, describe, expect, it } from 'vitest';
import { resetScrubber, scrubText, scrubValue } from '../scrub';

/** What the log format and Sentry's beforeSend remove, whoever wrote the text. */
describe('scrubText / scrubValue', () => {
  afterEach(() => resetScrubber());

  it.each([
    ["The 'To' number +12025550123 is not a valid phone number.", "The 'To' number [phone] is not a valid phone number."],
    ['call +44 20 7946 0958 now', 'call [phone] now'],
    ['from +34 (612) 345-678', 'from [phone]'],
    ['fan ana.perez+events@example.co.uk joined', 'fan [email] joined'],
    ['GET /api/sms-voting/tokens/Zq3TokenThatVotes_0123456', 'GET /api/sms-voting/tokens/[redacted]'],
    ['vote at https://site.test/es/vote/AbCdEf0123456789xyz', 'vote at https://site.test/es/vote/[redacted]'],
    ['Authorization: Bearer eyJhbGciOi.payload.sig', 'Authorization: Bearer [redacted]'],
    ['GET /api/auth/email-confirmation?confirmation=abc123&x=1', 'GET /api/auth/email-confirmation?confirmation=[redacted]&x=1'],
  ])('%s', (text, expected) => expect(scrubText(text)).toBe(expected));

  it('leaves ids, times and counts alone', () => {
    for (const text of ['message.send job 1234567 attempt 2/5', '2026-12-02T12:24:45.753Z', 'GMT+0000 (Coordinated Universal Time)', 'took 1500 ms', 'request 6f1c2a9e-1b2c-4d5e-8f90-123456789abc']) {
      expect(scrubText(text)).toBe(text);
    }
  });

  it('replaces the values of secret variables wherever they appear', () => {
    // Test files share this process: the environment is put back as it was.
    const saved = { JWT_SECRET: process.env.JWT_SECRET, APP_KEYS: process.env.APP_KEYS };
    try {
      process.env.JWT_SECRET = 'a-very-secret-jwt-value';
      process.env.APP_KEYS = 'firstKeyValue123,secondKeyValue456';
      resetScrubber();
      expect(scrubText('signed with a-very-secret-jwt-value and secondKeyValue456')).toBe('signed with [secret] and [secret]');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('drops credentials and client addresses by field name, and scrubs the rest deeply', () => {
    const scrubbed = scrubValue({
      headers: { authorization: 'Basic Zm9vOmJhcg==', 'x-twilio-signature': 'sig', 'x-ovation-client-address': '203.0.113.9', 'content-type': 'text/plain' },
      data: [{ From: '+12025550123' }],
    });
    expect(scrubbed).toEqual({
      headers: { authorization: '[redacted]', 'x-twilio-signature': '[redacted]', 'x-ovation-client-address': '[redacted]', 'content-type': 'text/plain' },
      data: [{ From: '[phone]' }],
    });
  });
});
