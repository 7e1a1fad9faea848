import type { Core, Modules } from '@strapi/strapi';
import { ownSessions } from '../lib/accounts/session-list';
import { maskAddress, sessionsPerUser } from '../lib/accounts/sessions';
import { recordOperation } from '../lib/audit';

const USER = 'plugin::users-permissions.user';
const SESSION = 'admin::session';
const ORIGINS = { admin: 'admin', user: 'users-permissions' } as const;
const ACCOUNT_OF: Record<string, string> = { admin: 'admin::user', 'users-permissions': USER };

type Options = { type?: string; metadata?: Record<string, unknown> };
type OriginSessions = {
  origin: string;
  generateRefreshToken(userId: string, deviceId: string | undefined, options?: Options): Promise<{ token: string; sessionId: string }>;
  invalidateRefreshToken(userId: string, deviceId?: string): Promise<void>;
  isSessionActive(sessionId: string): Promise<boolean>;
};
type SessionManager = (origin: string) => OriginSessions;
type Session = { sessionId: string };
type AdminCtx = { state: { user: { id: number }; session?: { id?: string } }; body: unknown };

/**
 * Ovation's session rules over Strapi's session manager (admin and users-permissions sessions are
 * rows of `admin::session`, one origin each):
 * - a sign-in records the address it came from (masked) beside the device, shown in the session lists
 *   (`GET /api/auth/sessions`, `GET /admin/users/me/sessions`);
 * - an account holds at most SESSIONS_PER_USER sessions: a new one ends the least recently used;
 * - a users-permissions access token is refused as soon as its session is gone (Strapi checks this
 *   for admins only, so a revoked user kept access until the token expired);
 * - a new password, or an account blocked or deactivated, ends every session of the account.
 * Sessions ended by these rules are recorded on the audit trail (`session.end`, with the reason).
 */
export function applySessionRules(strapi: Core.Strapi) {
  const manager = () => strapi.sessionManager as unknown as SessionManager;
  const limit = sessionsPerUser();
  const recordEnd = (origin: string, userId: unknown, reason: string, sessions: number) =>
    recordOperation(strapi, { action: 'session.end', subject: ACCOUNT_OF[origin], id: String(userId), details: { origin, reason, sessions } });

  // Every origin's manager is an instance of one class: its sign-in step is extended once, for both.
  const prototype = Object.getPrototypeOf(manager()(ORIGINS.admin)) as OriginSessions;
  const generate = prototype.generateRefreshToken;
  prototype.generateRefreshToken = async function (this: OriginSessions, userId, deviceId, options = {}) {
    const ip = maskAddress((strapi.requestContext.get() as { request?: { ip?: string } } | undefined)?.request?.ip);
    const created = await generate.call(this, userId, deviceId, { ...options, metadata: { ...options.metadata, ...(ip ? { ip } : {}) } });
    const active = (await strapi.db.query(SESSION).findMany({
      where: { userId, origin: this.origin, status: 'active' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: ['sessionId'],
    })) as Session[];
    const ended = active.filter((session) => session.sessionId !== created.sessionId).slice(limit - 1);
    if (ended.length > 0) {
      await strapi.db.query(SESSION).deleteMany({ where: { sessionId: { $in: ended.map((session) => session.sessionId) } } });
      await recordEnd(this.origin, userId, 'limit', ended.length);
    }
    return created;
  };

  const jwt = strapi.plugin('users-permissions').service('jwt') as { verify(token: string): Promise<{ id: number; sessionId?: string }> };
  const verify = jwt.verify;
  jwt.verify = async function (token: string) {
    const payload = await verify.call(this, token);
    if (payload.sessionId && !(await manager()(ORIGINS.user).isSessionActive(payload.sessionId))) throw new Error('Invalid token.');
    return payload;
  };

  async function endSessions(origin: string, id: unknown, reason: string) {
    const sessions = await strapi.db.query(SESSION).count({ where: { userId: String(id), origin, status: 'active' } });
    await manager()(origin).invalidateRefreshToken(String(id));
    if (sessions > 0) await recordEnd(origin, id, reason, sessions);
  }

  const middleware: Modules.Documents.Middleware.Middleware = async (ctx, next) => {
    const data = (ctx.params as { data?: { password?: unknown; blocked?: unknown } }).data;
    const reason = ctx.uid === USER && ctx.action === 'update' && data ? (typeof data.password === 'string' ? 'password' : data.blocked === true ? 'blocked' : null) : null;
    const result = await next();
    const id = (result as { id?: number } | null)?.id;
    if (reason && id) await endSessions(ORIGINS.user, id, reason);
    return result;
  };
  strapi.documents.use(middleware);

  const admins = strapi.service('admin::user') as unknown as { updateById(id: unknown, attributes: Record<string, unknown>): Promise<unknown> };
  const updateById = admins.updateById;
  admins.updateById = async function (id, attributes) {
    const updated = await updateById.call(this, id, attributes);
    const reason = typeof attributes?.password === 'string' ? 'password' : attributes?.isActive === false ? 'deactivated' : null;
    if (updated && reason) await endSessions(ORIGINS.admin, id, reason);
    return updated;
  };
}

/**
 * The admin's own session list (GET /admin/users/me/sessions) with the address each session signed
 * in from, as the API's. In `register`: routes take their handlers before `bootstrap`.
 */
export function listAdminSessionsWithAddress(strapi: Core.Strapi) {
  const adminSessions = strapi.controller('admin::authenticated-session') as unknown as { list(ctx: AdminCtx): Promise<void> };
  adminSessions.list = async (ctx) => {
    ctx.body = { data: await ownSessions(strapi, 'admin', String(ctx.state.user.id), ctx.state.session?.id) };
  };
}
