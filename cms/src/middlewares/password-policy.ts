import { errors } from '@strapi/utils';
import { passwordProblem } from '../lib/accounts/password-policy';

type Ctx = { method: string; path: string; request: { body?: unknown } };

/** The admin's routes that set a password: first admin, invitation, own profile, another admin, reset. */
const SETS_PASSWORD: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/admin\/register(-admin)?$/ },
  { method: 'POST', path: /^\/admin\/reset-password$/ },
  { method: 'PUT', path: /^\/admin\/users\/[^/]+$/ },
];

/**
 * The admin's password routes checked against Ovation's policy before their handler runs. The admin
 * user service checks it too (src/bootstrap/account-rules.ts), but too late for the profile page:
 * Strapi ends the admin's sessions for a password change before saving it, so a refused password
 * there would sign the admin out for nothing.
 */
const passwordPolicy = () => async (ctx: Ctx, next: () => Promise<void>) => {
  if (SETS_PASSWORD.some((route) => route.method === ctx.method && route.path.test(ctx.path))) {
    const body = ctx.request.body as { password?: unknown; userInfo?: { password?: unknown } } | undefined;
    const password = body?.password ?? body?.userInfo?.password;
    const problem = typeof password === 'string' && password.length > 0 ? passwordProblem(password) : undefined;
    if (problem) throw new errors.ValidationError(problem, { errors: [{ path: ['password'], message: problem, name: 'ValidationError' }] });
  }
  await next();
};

export default passwordPolicy;
