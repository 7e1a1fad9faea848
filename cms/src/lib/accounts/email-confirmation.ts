import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { checkConfirmationCode, issueResetCode } from './reset-tokens';
import { parseBody } from './validation';

const USER = 'plugin::users-permissions.user';

type Account = { id: number; email: string; blocked?: boolean | null; confirmed?: boolean | null };
type ConfirmationSettings = { from?: { name?: string; email?: string }; response_email?: string; object?: string; message?: string };
type UserService = Record<string, unknown> & { sendConfirmationEmail(user: Account): Promise<void> };
type Template = (layout: string | undefined, data: Record<string, unknown>) => Promise<string>;

const confirmationQuery = z.object({ confirmation: z.string().min(1).max(200) });

/**
 * users-permissions' email confirmation with codes like the reset codes (src/lib/accounts/reset-tokens.ts):
 * Strapi stores the confirmation token as it is emailed and never expires it. Here the email carries
 * a code with its issue time, the account keeps only the code's SHA-256 (in Strapi's own
 * `confirmationToken` column), the code works for 24 hours, and once.
 */
export function withHashedConfirmations(strapi: Core.Strapi, base: UserService): UserService {
  return {
    ...base,
    async sendConfirmationEmail(user: Account) {
      const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
      const stored = (await store.get({ key: 'email' })) as { email_confirmation?: { options?: ConfirmationSettings } } | null;
      const settings = stored?.email_confirmation?.options ?? {};
      const template = strapi.plugin('users-permissions').service('users-permissions').template as Template;
      const userInfo = await strapi.contentAPI.sanitize.output(user as never, strapi.getModel(USER));
      const { code, hash } = issueResetCode();
      const data = {
        URL: `${strapi.config.get<string>('server.absoluteUrl').replace(/\/+$/, '')}${strapi.config.get<string>('api.rest.prefix', '/api')}/auth/email-confirmation`,
        SERVER_URL: strapi.config.get('server.absoluteUrl'),
        ADMIN_URL: strapi.config.get('admin.absoluteUrl'),
        USER: userInfo,
        CODE: code,
      };
      const message = await template(settings.message, data);
      const subject = await template(settings.object, { USER: userInfo });
      // The code's hash and its email commit together, or neither does.
      await strapi.db.transaction(async () => {
        await strapi.db.query(USER).update({ where: { id: user.id }, data: { confirmationToken: hash } });
        await strapi.plugin('email').service('email').send({
          to: user.email,
          from: settings.from?.email && settings.from?.name ? `${settings.from.name} <${settings.from.email}>` : undefined,
          replyTo: settings.response_email,
          subject,
          text: message,
          html: message,
        });
      });
    },
  };
}

/**
 * `GET /api/auth/email-confirmation?confirmation=…` (and GraphQL's `emailConfirmation`): confirms the
 * account whose code it is, within 24 hours of its email, once. The account is claimed with a
 * conditional update, so of two requests with one code only one confirms.
 */
export async function confirmEmail(strapi: Core.Strapi, query: unknown): Promise<Account> {
  const { confirmation } = parseBody(confirmationQuery, query);
  const check = checkConfirmationCode(confirmation);
  if (!check.ok) {
    // An expired code is cleared, so a wrong clock later cannot revive it.
    if (check.hash) await strapi.db.query(USER).updateMany({ where: { confirmationToken: check.hash }, data: { confirmationToken: null } });
    throw new errors.ValidationError(check.reason === 'expired' ? 'This confirmation link has expired: ask for a new one' : 'Invalid token');
  }
  return strapi.db.transaction(async () => {
    const user = (await strapi.db.query(USER).findOne({ where: { confirmationToken: check.hash } })) as Account | null;
    if (!user) throw new errors.ValidationError('Invalid token');
    const { count } = await strapi.db.query(USER).updateMany({ where: { id: user.id, confirmationToken: check.hash }, data: { confirmed: true, confirmationToken: null } });
    if (count !== 1) throw new errors.ValidationError('Invalid token');
    return { ...user, confirmed: true };
  });
}
