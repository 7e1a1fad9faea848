import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const USER = 'plugin::users-permissions.user';

type UserRow = { id: number; password?: string | null; confirmed?: boolean | null; blocked?: boolean | null };
type Ctx = { state: { auth?: unknown } };
type ProviderCtx = { session?: { grant?: { response?: Record<string, unknown> } } | null };

const up = (strapi: Core.Strapi) => strapi.plugin('users-permissions');

/**
 * users-permissions' side: which account a `POST /api/auth/local` names, its password checked as
 * Strapi's callback checks it (same refusals, same words), and what Strapi would answer once the
 * second factor is in (`{ jwt, user }`, or `{ jwt, refreshToken, user }` in refresh mode).
 */
const createApiSignIn = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The local account an identifier names, as Strapi's callback looks it up. */
  async accountOf(identifier: unknown): Promise<UserRow | null> {
    if (typeof identifier !== 'string' || identifier.length === 0) return null;
    return strapi.db.query(USER).findOne({ where: { provider: 'local', $or: [{ email: identifier.toLowerCase() }, { username: identifier }] } });
  },

  /** Throws Strapi's own refusal when the password or the account's state does not let it in. */
  async checkPassword(user: UserRow, password: unknown) {
    if (typeof password !== 'string' || !user.password) throw new errors.ValidationError('Invalid identifier or password');
    if (!(await up(strapi).service('user').validatePassword(password, user.password))) throw new errors.ValidationError('Invalid identifier or password');
    const advanced = (await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' })) as { email_confirmation?: boolean } | null;
    if (advanced?.email_confirmation && user.confirmed !== true) throw new errors.ApplicationError('Your account email is not confirmed');
    if (user.blocked === true) throw new errors.ApplicationError('Your account has been blocked by an administrator');
  },

  /**
   * The account an OAuth provider's sign-in names (`/api/auth/:provider/callback`, after the
   * `/api/connect/:provider` round trip left the provider's answer in the session), found or made by
   * Strapi's own `providers.connect`, with the refusals Strapi's callback gives.
   */
  async providerAccount(ctx: ProviderCtx, provider: string): Promise<UserRow> {
    const grant = (await strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'grant' })) as Record<string, { enabled?: boolean }> | null;
    if (!grant?.[provider]?.enabled) throw new errors.ApplicationError('This provider is disabled');
    const grantResponse = ctx.session?.grant?.response;
    if (!grantResponse) throw new errors.ApplicationError('OAuth authentication requires a completed provider session');
    let user: UserRow;
    try {
      user = await up(strapi).service('providers').connect(provider, grantResponse, { grantResponse });
    } catch (error) {
      throw new errors.ApplicationError((error as Error).message);
    }
    if (user.blocked) throw new errors.ForbiddenError('Your account has been blocked by an administrator');
    return user;
  },

  /** Strapi's answer to a successful sign-in, for the account, now that its second factor is in. */
  async issue(ctx: Ctx, userId: number, deviceId?: string) {
    const user = (await strapi.db.query(USER).findOne({ where: { id: userId } })) as UserRow | null;
    if (!user || user.blocked) throw new errors.ApplicationError('Your account has been blocked by an administrator');
    const sanitized = await strapi.contentAPI.sanitize.output(user, strapi.getModel(USER), { auth: ctx.state.auth });
    if (strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support') !== 'refresh') {
      return { jwt: up(strapi).service('jwt').issue({ id: user.id }) as string, user: sanitized };
    }
    const sessions = strapi.sessionManager('users-permissions');
    const refresh = await sessions.generateRefreshToken(String(user.id), deviceId, { type: 'refresh' });
    const access = await sessions.generateAccessToken(refresh.token);
    if ('error' in access) throw new errors.ApplicationError('Invalid credentials');
    return { jwt: access.token, refreshToken: refresh.token, user: sanitized };
  },

});

export type ApiSignInService = ReturnType<typeof createApiSignIn>;
export default createApiSignIn;
