import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 as authenticator apps expect it: 30-second steps, 6 digits, HMAC-SHA-1. */
export const PERIOD_SECONDS = 30;
export const CODE_PATTERN = /^\d{6}$/;

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32 as apps take it. */
export const newSecret = () => generateSecret({ length: 20 });

export const otpauthUri = (issuer: string, label: string, secret: string) => generateURI({ issuer, label, secret, period: PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });

/**
 * The time step `code` belongs to, if it is the code of the current step or of one step either side
 * (a phone's clock a little off), and later than the last step accepted (a code is used once).
 * `epochTolerance` equal to one period is exactly one step each side wherever `now` falls in its step.
 */
export async function acceptedStep(secret: string, code: string, lastTimeStep: number | null, nowMs = Date.now()): Promise<number | null> {
  if (!CODE_PATTERN.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    period: PERIOD_SECONDS,
    digits: 6,
    algorithm: 'sha1',
    epochTolerance: PERIOD_SECONDS,
    ...(lastTimeStep === null ? {} : { afterTimeStep: lastTimeStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
