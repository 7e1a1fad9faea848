import { errors } from '@strapi/utils';
import { createAttemptLimit } from '../lib/accounts/limits';
import { ADMIN_LOGIN_WINDOW_SECONDS, adminLoginFailuresPerAddress } from '../lib/accounts/settings';

type Ctx = { method: string; path: string; status: number; request: { ip: string }; set(header: string, value: string): void };

const failed = (status: number | undefined) => status === 400 || status === 401;
// The admin's login answers a wrong password with an ApplicationError, which has no status of its own (400).
const REFUSALS = new Set(['ApplicationError', 'ValidationError', 'UnauthorizedError']);
const refusal = (error: unknown) => REFUSALS.has((error as Error | null)?.name ?? '') || failed((error as { status?: number } | null)?.status);

/**
 * Strapi limits admin sign-ins per email and address; spraying one password over many accounts from
 * one address goes through it. This counts failed admin sign-ins per client address, whichever
 * account they name, and refuses the address (429 with Retry-After, before any password is checked)
 * once ADMIN_LOGIN_FAILURES_PER_ADDRESS (default 10) fail within 15 minutes.
 */
const adminLoginLimit = () => {
  const limit = createAttemptLimit('admin-login', adminLoginFailuresPerAddress(), ADMIN_LOGIN_WINDOW_SECONDS);
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method !== 'POST' || ctx.path !== '/admin/login') return next();
    const refused = await limit.spent(ctx.request.ip);
    if (refused) {
      ctx.set('Retry-After', String(refused.retryAfterSeconds));
      throw new errors.RateLimitError(`Too many failed sign-ins from this address. Try again in ${refused.retryAfterSeconds} s.`, {
        retryAfter: refused.retryAfterSeconds,
      });
    }
    try {
      await next();
    } catch (error) {
      if (refusal(error)) await limit.spend(ctx.request.ip);
      throw error;
    }
    if (failed(ctx.status)) await limit.spend(ctx.request.ip);
  };
};

export default adminLoginLimit;
