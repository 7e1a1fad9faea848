import crypto from 'crypto';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';

const ADMIN_USER = 'admin::user';

type AdminRow = { id: number; email: string; roles?: { code: string }[] };
type Ctx = {
  request: { secure: boolean; headers: Record<string, string | string[] | undefined> };
  cookies: { set(name: string, value: string, options: object): void };
};

/**
 * @strapi/admin 5.54's own helpers for the refresh cookie (name, path, domain, secure, expiry). The
 * package does not export them; they are read from its build (the version is pinned) so the cookie
 * this plugin sets is the one core sets, byte for byte.
 */
type SessionAuth = {
  REFRESH_COOKIE_NAME: string;
  buildCookieOptionsWithExpiry(type: 'refresh' | 'session', absoluteExpiresAt: string | undefined, secure: boolean): object;
  buildSessionMetadataFromContext(ctx: unknown): Record<string, unknown>;
};
let sessionAuth: SessionAuth | undefined;
const coreSessionAuth = (): SessionAuth =>
  (sessionAuth ??= require(path.join(path.dirname(require.resolve('@strapi/admin/package.json')), 'dist/server/shared/utils/session-auth.js')) as SessionAuth);

/**
 * The admin's side: the admin a login names, the password checked by Strapi's own
 * `checkCredentials`, and the session core's `POST /admin/login` opens (session row, refresh
 * cookie, access token), opened only once the code is in.
 */
const createAdminSignIn = ({ strapi }: { strapi: Core.Strapi }) => ({
  async accountOf(email: unknown): Promise<AdminRow | null> {
    if (typeof email !== 'string' || email.length === 0) return null;
    return strapi.db.query(ADMIN_USER).findOne({ where: { email: email.toLowerCase() }, populate: ['roles'] });
  },

  /** Whether the admin's roles make two-factor mandatory (the Settings page's choice, else TWO_FACTOR_REQUIRED_ROLES). */
  async mandatoryFor(admin: AdminRow) {
    const required = await getService(strapi, 'settings').requiredRoles();
    return (admin.roles ?? []).some((role) => required.includes(role.code));
  },

  /** Strapi's own password check for the admin login (passport-local calls the same); throws its refusal. */
  async checkPassword(email: string, password: unknown) {
    const [error, user, info] = (await strapi.service('admin::auth').checkCredentials({ email: email.toLowerCase(), password })) as [Error | null, AdminRow | false, { message: string }];
    if (error) throw error;
    if (!user) {
      strapi.eventHub.emit('admin.auth.error', { error: new Error(info.message), provider: 'local' });
      throw new errors.ApplicationError(info.message);
    }
    return user;
  },

  /** What core's login does after passport: session row, refresh cookie, access token, answer. */
  async openSession(ctx: Ctx, userId: number, session: { rememberMe: boolean; deviceId: string | null }) {
    const user = await strapi.db.query(ADMIN_USER).findOne({ where: { id: userId }, populate: ['roles'] });
    if (!user || user.isActive !== true || user.blocked) throw new errors.ApplicationError('User not active');
    const helpers = coreSessionAuth();
    const type = session.rememberMe ? 'refresh' : 'session';
    const manager = strapi.sessionManager('admin');
    const { token: refreshToken, absoluteExpiresAt } = await manager.generateRefreshToken(String(user.id), session.deviceId ?? crypto.randomUUID(), {
      type,
      metadata: helpers.buildSessionMetadataFromContext(ctx),
    });
    ctx.cookies.set(helpers.REFRESH_COOKIE_NAME, refreshToken, helpers.buildCookieOptionsWithExpiry(type, absoluteExpiresAt, ctx.request.secure));
    const access = await manager.generateAccessToken(refreshToken);
    if ('error' in access) throw new errors.ApplicationError('The session could not be opened');
    const sanitized = strapi.service('admin::user').sanitizeUser(user);
    strapi.eventHub.emit('admin.auth.success', { user: sanitized, provider: 'local' });
    return { token: access.token, accessToken: access.token, user: sanitized };
  },
});

export type AdminSignInService = ReturnType<typeof createAdminSignIn>;
export default createAdminSignIn;
