import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { checkResetCode, issueResetCode, RESET_TOKEN_LIFETIME_MS } from '../lib/accounts/reset-tokens';

type AdminAuth = {
  forgotPassword(input?: { email?: string }): Promise<void>;
  resetPassword(input?: { resetPasswordToken?: string; password?: string }): Promise<unknown>;
};
type AdminUsers = { updateById(id: number, attributes: Record<string, unknown>): Promise<unknown> };
type AdminAccount = { id: number; email: string; firstname?: string | null; lastname?: string | null; username?: string | null };

const ADMIN_USER = 'admin::user';

/**
 * Admin password resets with the same codes as users-permissions' (src/lib/accounts/reset-tokens.ts):
 * Strapi stores the admin's reset token as it is emailed, so whoever reads the table (a backup, a
 * read replica) could reset any admin's password. Here only the code's SHA-256 is stored, with
 * Strapi's own expiry column (one hour), and a code works once. The email goes through the outbox.
 */
export function hashAdminResetCodes(strapi: Core.Strapi) {
  const auth = strapi.service('admin::auth') as unknown as AdminAuth;
  const users = () => strapi.service('admin::user') as unknown as AdminUsers;
  const rows = () => strapi.db.query(ADMIN_USER);

  auth.forgotPassword = async ({ email } = {}) => {
    const user = (await rows().findOne({ where: { email, isActive: true } })) as AdminAccount | null;
    if (!user) return;
    const { code, hash } = issueResetCode();
    await strapi.db
      .transaction(async () => {
        await users().updateById(user.id, { resetPasswordToken: hash, resetPasswordTokenExpiresAt: new Date(Date.now() + RESET_TOKEN_LIFETIME_MS) });
        await strapi.plugin('email').service('email').sendTemplatedEmail(
          { to: user.email, from: strapi.config.get('admin.forgotPassword.from'), replyTo: strapi.config.get('admin.forgotPassword.replyTo') },
          strapi.config.get('admin.forgotPassword.emailTemplate'),
          {
            url: `${strapi.config.get('admin.absoluteUrl')}/auth/reset-password?code=${code}`,
            user: { email: user.email, firstname: user.firstname, lastname: user.lastname, username: user.username },
          }
        );
      })
      // Strapi answers before this runs, the same for every address: a failure is only logged.
      .catch((error: Error) => strapi.log.error(`An admin password-reset email could not be queued: ${error.message}`));
  };

  auth.resetPassword = async ({ resetPasswordToken, password } = {}) => {
    const check = checkResetCode(resetPasswordToken ?? '');
    if (!check.ok) {
      if (check.hash) await rows().updateMany({ where: { resetPasswordToken: check.hash }, data: { resetPasswordToken: null, resetPasswordTokenExpiresAt: null } });
      throw new errors.ApplicationError(check.reason === 'expired' ? 'This reset password token has expired' : undefined);
    }
    return strapi.db.transaction(async () => {
      const user = (await rows().findOne({ where: { resetPasswordToken: check.hash, isActive: true } })) as AdminAccount | null;
      if (!user) throw new errors.ApplicationError();
      // Claimed under the row's lock: of two requests with one code, only one changes the password.
      const claimed = await rows().updateMany({
        where: { id: user.id, resetPasswordToken: check.hash, resetPasswordTokenExpiresAt: { $gt: new Date() } },
        data: { resetPasswordToken: null, resetPasswordTokenExpiresAt: null },
      });
      if (claimed.count !== 1) throw new errors.ApplicationError('This reset password token has expired');
      return users().updateById(user.id, { password });
    });
  };
}
