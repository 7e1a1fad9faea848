import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Refused (unsigned or forged) provider callbacks an address may send a minute, per cms instance. */
export const REFUSED_CALLBACKS_PER_MINUTE = 30;

const limiter = new RateLimiterMemory({ points: REFUSED_CALLBACKS_PER_MINUTE, duration: 60 });
// Addresses are kept hashed, even in memory.
const keyOf = (address: string) => crypto.createHash('sha256').update(`callback:${address}`).digest('hex').slice(0, 32);

// A policy's context is a copy of Koa's context's own fields: its response, not its delegated `set`.
type PolicyContext = { request: { ip: string }; response?: { set(name: string, value: string): void } };

/**
 * The providers' callbacks are outside the cms's per-address request budget (Twilio and SendGrid post
 * thousands a minute from a few addresses); what is limited is refusals: an address whose signatures
 * keep failing is answered 429 without its next signature being checked, so forging costs nothing
 * here but its own requests. A provider's own addresses never spend any.
 */
export async function guardCallback(context: PolicyContext, verify: () => boolean, refusal: () => Error, strapi: Core.Strapi) {
  const key = keyOf(context.request.ip);
  const spent = await limiter.get(key);
  if (spent && spent.remainingPoints <= 0) {
    const retryAfter = Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
    context.response?.set('Retry-After', String(retryAfter));
    throw new errors.RateLimitError(`Too many refused callbacks from this address: try again in ${retryAfter} s`, { retryAfter });
  }
  if (verify()) return true;
  await limiter.consume(key).catch((rejection) => {
    if (!(rejection instanceof RateLimiterRes)) strapi.log.warn(`crm: counting a refused callback failed: ${rejection}`);
  });
  throw refusal();
}
