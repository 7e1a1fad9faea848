import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { confirmEmail } from './email-confirmation';
import { createAttemptLimit, type Refusal } from './limits';
import { passwordProblem } from './password-policy';
import { ownSessions } from './session-list';
import { checkResetCode, issueResetCode } from './reset-tokens';
import { FORGOT_PASSWORD_MIN_MS, registrationOpen, RESET_REQUESTS_PER_HOUR } from './settings';
import { parseBody } from './validation';

const USER = 'plugin::users-permissions.user';

type Ctx = {
  request: { body?: unknown; ip: string };
  query?: unknown;
  redirect(url: string): void;
  state: { auth?: unknown };
  set(header: string, value: string): void;
  send(body: unknown): void;
};
type AuthController = Record<string, (ctx: Ctx, ...rest: unknown[]) => Promise<unknown>>;
type Account = { id: number; email: string; blocked?: boolean | null; confirmed?: boolean | null; username?: string };
type ResetEmailSettings = { from?: { name?: string; email?: string }; response_email?: string; object?: string; message?: string };

const forgotBody = z.object({ email: z.string().trim().email().max(254) }).strict();
const resetBody = z
  .object({ code: z.string().min(1).max(200), password: z.string().min(1).max(200), passwordConfirmation: z.string().min(1).max(200) })
  .strict();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(ctx: Ctx, refusal: Refusal, what = 'password-reset'): never {
  ctx.set('Retry-After', String(refusal.retryAfterSeconds));
  throw new errors.RateLimitError(`Too many ${what} requests: at most ${refusal.limit} an hour. Try again in ${refusal.retryAfterSeconds} s.`, {
    retryAfter: refusal.retryAfterSeconds,
  });
}

/**
 * Ovation's rules around users-permissions' own sign-up and reset routes (REST and GraphQL both call
 * these controllers): registration closed unless opened, and reset codes that are stored hashed,
 * expire after an hour, work once, and are asked for at most 3 times an hour per address and per IP,
 * with the same answer, in about the same time, whether or not the account exists; email
 * confirmations likewise (codes hashed, valid 24 hours, once; src/lib/accounts/email-confirmation.ts); a reset ends
 * every other session (src/bootstrap/session-rules.ts); the session list shows each sign-in's address.
 */
export function withAccountRules(strapi: Core.Strapi, base: AuthController): AuthController {
  const perEmail = createAttemptLimit('reset-email', RESET_REQUESTS_PER_HOUR, 3600);
  const perAddress = createAttemptLimit('reset-address', RESET_REQUESTS_PER_HOUR, 3600);
  const confirmationsPerEmail = createAttemptLimit('confirmation-email', RESET_REQUESTS_PER_HOUR, 3600);
  const confirmationsPerAddress = createAttemptLimit('confirmation-address', RESET_REQUESTS_PER_HOUR, 3600);
  const up = () => strapi.plugin('users-permissions');
  const users = () => strapi.db.query(USER);
  const sanitize = (user: unknown, ctx: Ctx) => strapi.contentAPI.sanitize.output(user as Record<string, unknown>, strapi.getModel(USER), { auth: ctx.state.auth });

  /** A new session for the account (the only kind in refresh mode), as a sign-in makes it. */
  async function newSession(user: Account) {
    const sessions = strapi.sessionManager('users-permissions');
    const refresh = await sessions.generateRefreshToken(String(user.id), crypto.randomUUID(), { type: 'refresh' });
    const access = await sessions.generateAccessToken(refresh.token);
    if ('error' in access) throw new errors.ApplicationError('Invalid credentials');
    return { jwt: access.token, refreshToken: refresh.token };
  }

  /** Writes a new code's hash and queues its email, in one transaction. */
  async function sendResetCode(user: Account, ctx: Ctx) {
    const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
    const emailSettings = (await store.get({ key: 'email' })) as { reset_password?: { options?: ResetEmailSettings } } | null;
    const advanced = (await store.get({ key: 'advanced' })) as { email_reset_password?: string } | null;
    const settings = emailSettings?.reset_password?.options ?? {};
    const template = up().service('users-permissions').template as (layout: string | undefined, data: Record<string, unknown>) => Promise<string>;
    const userInfo = await sanitize(user, ctx);
    const { code, hash } = issueResetCode();
    const body = await template(settings.message, {
      URL: advanced?.email_reset_password,
      SERVER_URL: strapi.config.get('server.absoluteUrl'),
      ADMIN_URL: strapi.config.get('admin.absoluteUrl'),
      USER: userInfo,
      TOKEN: code,
    });
    const subject = await template(settings.object, { USER: userInfo });
    await strapi.db.transaction(async () => {
      await up().service('user').edit(user.id, { resetPasswordToken: hash });
      await strapi.plugin('email').service('email').send({
        to: user.email,
        from: settings.from?.email || settings.from?.name ? `${settings.from?.name} <${settings.from?.email}>` : undefined,
        replyTo: settings.response_email,
        subject,
        text: body,
        html: body,
      });
    });
  }

  return {
    ...base,

    async register(ctx, ...rest) {
      // A PolicyError: Strapi's route chain turns any other ForbiddenError into a bare "Forbidden".
      if (!registrationOpen()) {
        throw new errors.PolicyError('Registration is closed: accounts are created by invitation from the admin', { policy: 'registration-closed' });
      }
      return base.register(ctx, ...rest);
    },

    async forgotPassword(ctx) {
      const started = Date.now();
      const { email } = parseBody(forgotBody, ctx.request.body);
      const address = email.toLowerCase();
      const [byEmail, byAddress] = await Promise.all([perEmail.spend(address), perAddress.spend(ctx.request.ip)]);
      if (byEmail || byAddress) refuse(ctx, (byEmail ?? byAddress) as Refusal);

      const user = (await users().findOne({ where: { email: address } })) as Account | null;
      if (user && !user.blocked) await sendResetCode(user, ctx);
      await sleep(FORGOT_PASSWORD_MIN_MS - (Date.now() - started));
      ctx.send({ ok: true });
    },

    async resetPassword(ctx) {
      const { code, password, passwordConfirmation } = parseBody(resetBody, ctx.request.body);
      if (password !== passwordConfirmation) throw new errors.ValidationError('Passwords do not match');
      const problem = passwordProblem(password);
      if (problem) throw new errors.ValidationError(problem);

      const check = checkResetCode(code);
      if (!check.ok) {
        // An expired code is cleared, so it cannot be tried again once the clock is wrong.
        if (check.hash) await users().updateMany({ where: { resetPasswordToken: check.hash }, data: { resetPasswordToken: null } });
        throw new errors.ValidationError(check.reason === 'expired' ? 'This reset code has expired: ask for a new one' : 'Incorrect code provided');
      }

      const user = await strapi.db.transaction(async () => {
        const found = (await users().findOne({ where: { resetPasswordToken: check.hash } })) as Account | null;
        if (!found) return null;
        // Claimed under the row's lock: of two requests with one code, only one changes the password.
        const claimed = await users().updateMany({ where: { id: found.id, resetPasswordToken: check.hash }, data: { resetPasswordToken: null } });
        if (claimed.count !== 1) return null;
        await up().service('user').edit(found.id, { password });
        return found;
      });
      if (!user) throw new errors.ValidationError('Incorrect code provided');

      // Every session of the account ended with the new password (src/bootstrap/session-rules.ts): this one starts afresh.
      ctx.send({ ...(await newSession(user)), user: await sanitize(user, ctx) });
    },

    /** A confirmation link (hashed, 24 hours, once: src/lib/accounts/email-confirmation.ts); GraphQL's mutation asks for the user back. */
    async emailConfirmation(ctx, _next, returnUser) {
      const user = await confirmEmail(strapi, ctx.query);
      if (returnUser) return ctx.send({ ...(await newSession(user)), user: await sanitize(user, ctx) });
      const advanced = (await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' })) as { email_confirmation_redirection?: string } | null;
      ctx.redirect(advanced?.email_confirmation_redirection || '/');
    },

    /** A new confirmation email: the same answer, in about the same time, whoever asks; 3 an hour per address and per IP. */
    async sendEmailConfirmation(ctx) {
      const started = Date.now();
      const { email } = parseBody(forgotBody, ctx.request.body);
      const address = email.toLowerCase();
      const [byEmail, byAddress] = await Promise.all([confirmationsPerEmail.spend(address), confirmationsPerAddress.spend(ctx.request.ip)]);
      if (byEmail || byAddress) refuse(ctx, (byEmail ?? byAddress) as Refusal, 'confirmation-email');

      const user = (await users().findOne({ where: { email: address } })) as Account | null;
      if (user && !user.blocked && !user.confirmed) await up().service('user').sendConfirmationEmail(user);
      await sleep(FORGOT_PASSWORD_MIN_MS - (Date.now() - started));
      ctx.send({ email: address, sent: true });
    },

    /** Strapi's list of the caller's sessions, with the (masked) address each one signed in from. */
    async getSessions(ctx) {
      const user = (ctx.state as { user?: { id: number } }).user;
      if (!user) throw new errors.UnauthorizedError('Missing authentication');
      const current = (ctx.state as { session?: { id?: string } }).session?.id;
      ctx.send({ data: await ownSessions(strapi, 'users-permissions', String(user.id), current) });
    },
  };
}
