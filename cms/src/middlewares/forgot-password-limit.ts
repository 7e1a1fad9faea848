import { errors } from '@strapi/utils';
import { createAttemptLimit, type Refusal } from '../lib/accounts/limits';
import { RESET_REQUESTS_PER_HOUR } from '../lib/accounts/settings';

type Ctx = { method: string; path: string; request: { ip: string; body?: unknown }; set(header: string, value: string): void };

/**
 * At most 3 admin password-reset requests an hour per email address and per client address: 429
 * with Retry-After past either, known address or not (users-permissions' own route is limited in
 * src/lib/accounts/user-auth.ts). Strapi answers the admin's request before its email is written,
 * so the limit must be here, in front of it.
 */
const forgotPasswordLimit = () => {
  const perEmail = createAttemptLimit('admin-reset-email', RESET_REQUESTS_PER_HOUR, 3600);
  const perAddress = createAttemptLimit('admin-reset-address', RESET_REQUESTS_PER_HOUR, 3600);
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method !== 'POST' || ctx.path !== '/admin/forgot-password') return next();
    const email = (ctx.request.body as { email?: unknown } | undefined)?.email;
    const [byEmail, byAddress] = await Promise.all([
      typeof email === 'string' ? perEmail.spend(email.trim().toLowerCase()) : undefined,
      perAddress.spend(ctx.request.ip),
    ]);
    const refused: Refusal | undefined = byEmail ?? byAddress;
    if (refused) {
      ctx.set('Retry-After', String(refused.retryAfterSeconds));
      throw new errors.RateLimitError(`Too many password-reset requests: at most ${refused.limit} an hour. Try again in ${refused.retryAfterSeconds} s.`, {
        retryAfter: refused.retryAfterSeconds,
      });
    }
    await next();
  };
};

export default forgotPasswordLimit;
