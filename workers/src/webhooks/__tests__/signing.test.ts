import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, signedHeaders } from '../signing';
import { seal, unseal } from '../sealing';

describe('Standard Webhooks signing', () => {
  it("gives the specification's known answer", () => {
    // From the specification's own library tests.
    expect(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs what the standardwebhooks package accepts, with either secret during a rotation, and nothing else', () => {
    const [previous, current, stranger] = [generateSecret(), generateSecret(), generateSecret()];
    expect(Buffer.from(current.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    const body = JSON.stringify({ type: 'event.published', data: { slug: 'x' } });
    const headers = signedHeaders([current, previous], 'msg_1', body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it('seals secrets so the stored value shows nothing of them, and opens them again', () => {
    const secret = generateSecret();
    const sealed = seal(secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(seal(secret)).not.toBe(sealed);
    expect(unseal(sealed)).toBe(secret);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => unseal(tampered)).toThrow();
  });
});
