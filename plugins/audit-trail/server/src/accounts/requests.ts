import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Identity } from '../services/actors';
import type { ACTIONS, RefusalReason } from '../utils/entry';
import { scrubValue } from '../utils/redact';
import { getService } from '../utils/get-service';

type Action = (typeof ACTIONS)[number];

type Ctx = {
  method: string;
  path: string;
  status: number;
  body: unknown;
  params?: Record<string, string>;
  request: { body?: Record<string, unknown> };
  state: {
    user?: { id: string | number; firstname?: string | null; lastname?: string | null };
    route?: { method?: string; path?: string; handler?: unknown; info?: { type?: string } };
  };
  remove(field: string): void;
};
type Next = () => Promise<unknown>;

const ADMIN_USER = 'admin::user';
const USER = 'plugin::users-permissions.user';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const ok = (ctx: Ctx) => ctx.status >= 200 && ctx.status < 300;
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 320 ? value : null);
const displayName = (user: { firstname?: unknown; lastname?: unknown }) => [user.firstname, user.lastname].filter(Boolean).join(' ') || null;

/** Strapi's error as the response states it (name and message, redacted); the status when there is none. */
function refusalOf(ctx: Ctx): RefusalReason {
  const error = (ctx.body as { error?: { name?: unknown; message?: unknown } } | undefined)?.error;
  const name = typeof error?.name === 'string' ? error.name : `HTTP ${ctx.status}`;
  return { name, message: String(scrubValue(typeof error?.message === 'string' ? error.message : '')).slice(0, 500) };
}

/**
 * What Strapi does not give a transaction to (sign-ins, sign-outs, refusals before any handler), is
 * recorded by one Koa middleware outside Strapi's own (registered in `register`, so it runs inside
 * the request context and around `strapi::errors`: it sees the final status and body). Each entry is
 * appended in a transaction of its own right after the request was handled, before the response
 * leaves: a successful sign-in whose entry cannot be written is answered 500 without its token or
 * cookie. Registration and password resets are document writes of the account: they are recorded
 * once, as that write (in its transaction), under their own action name.
 */
export function recordRequests(strapi: Core.Strapi) {
  const actors = () => getService(strapi, 'actors');
  const restPrefix = () => (strapi.config.get('api.rest.prefix') as string | undefined) ?? '/api';
  // Requests that Strapi's authentication or permissions refused before their handler ran.
  const refusedEarly = new WeakSet<object>();

  async function append(
    action: Action,
    entry: { subject: string; id: string | null; identity?: Identity; failure?: RefusalReason; details?: Record<string, unknown> }
  ) {
    await strapi.db.transaction(() =>
      getService(strapi, 'ledger').append({
        actor: actors().current(entry.identity),
        action,
        contentType: entry.subject,
        documentId: entry.id,
        locale: null,
        diff: { before: null, after: entry.details ? (scrubValue(entry.details) as Record<string, unknown>) : null },
        outcome: entry.failure ? 'failure' : 'success',
        error: entry.failure ?? null,
      })
    );
  }

  /** The account a failed sign-in named, when it exists: by id, never by the email or name typed. */
  async function attemptedAccount(kind: 'admin' | 'user', body: Record<string, unknown> | undefined): Promise<Identity | undefined> {
    if (kind === 'admin') {
      const email = text(body?.email);
      const admin = email && (await strapi.db.query(ADMIN_USER).findOne({ where: { email: email.toLowerCase() }, select: ['id', 'firstname', 'lastname'] }));
      return admin ? { kind: 'admin', id: String(admin.id), name: displayName(admin) } : undefined;
    }
    const identifier = text(body?.identifier);
    const user =
      identifier &&
      (await strapi.db.query(USER).findOne({ where: { provider: 'local', $or: [{ email: identifier.toLowerCase() }, { username: identifier }] }, select: ['id'] }));
    return user ? { kind: 'user', id: String(user.id) } : undefined;
  }

  function signedIn(kind: 'admin' | 'user', ctx: Ctx): Identity | undefined {
    if (kind === 'admin') return ctx.state.user ? { kind: 'admin', id: String(ctx.state.user.id), name: displayName(ctx.state.user) } : undefined;
    const user = (ctx.body as { user?: { id?: unknown } } | undefined)?.user;
    return user?.id !== undefined ? { kind: 'user', id: String(user.id) } : undefined;
  }

  /** The password was right and a second factor is asked for (plugins/two-factor): no session yet. */
  const secondFactorPending = (ctx: Ctx) => {
    const body = ctx.body as { twoFactorRequired?: unknown; data?: { twoFactorRequired?: unknown } } | undefined;
    return body?.twoFactorRequired === true || body?.data?.twoFactorRequired === true;
  };

  const signIn = (kind: 'admin' | 'user', action: Action) => async (ctx: Ctx, next: Next) => {
    await next();
    const succeeded = ok(ctx);
    const pending = succeeded && secondFactorPending(ctx);
    const subject = kind === 'admin' ? ADMIN_USER : USER;
    try {
      const identity = succeeded && !pending ? signedIn(kind, ctx) : await attemptedAccount(kind, ctx.request.body);
      await append(action, {
        subject,
        id: identity?.id ?? null,
        identity,
        failure: succeeded ? undefined : refusalOf(ctx),
        // The sign-in completes with its `two-factor.verified` entry.
        details: pending ? { twoFactor: 'pending' } : undefined,
      });
    } catch (error) {
      strapi.log.error(`audit-trail: a ${action} was not recorded: ${(error as Error).message}`);
      if (!succeeded) return;
      // No entry, no session: the token and the cookie never leave.
      ctx.remove('Set-Cookie');
      ctx.status = 500;
      ctx.body = { data: null, error: { status: 500, name: 'InternalServerError', message: 'The sign-in could not be recorded, so it was refused', details: {} } };
    }
  };

  /** A sign-out or a revoked session: recorded after the fact (it only takes access away), logged if it cannot be. */
  const sessionEnd = (action: Action, details: (ctx: Ctx) => Record<string, unknown>, subject = ADMIN_USER) => async (ctx: Ctx, next: Next) => {
    await next();
    if (!ok(ctx) || !ctx.state.user) return;
    await append(action, { subject, id: String(ctx.state.user.id), details: details(ctx) }).catch((error: Error) =>
      strapi.log.error(`audit-trail: a ${action} was not recorded: ${error.message}`)
    );
  };

  /** The account write the route makes is recorded as `action` (see actors.acting). */
  const labelled = (action: Action, contentType: string) => (_ctx: Ctx, next: Next) => actors().acting({ label: { action, contentType } }, next);

  type Rule = { method: string; path: RegExp; handle: (ctx: Ctx, next: Next) => Promise<unknown> };
  let rules: Rule[] | undefined;
  const rulesNow = () =>
    (rules ??= [
      { method: 'POST', path: /^\/admin\/login$/, handle: signIn('admin', 'admin.login') },
      { method: 'POST', path: /^\/admin\/logout$/, handle: sessionEnd('admin.logout', () => ({})) },
      { method: 'DELETE', path: /^\/admin\/users\/me\/sessions$/, handle: sessionEnd('admin.session.revoke', () => ({ sessions: 'all' })) },
      { method: 'DELETE', path: /^\/admin\/users\/me\/sessions\/[^/]+$/, handle: sessionEnd('admin.session.revoke', (ctx) => ({ session: ctx.params?.sessionId ?? null })) },
      // An admin's password reset asked for and done, an invitation accepted: the user's update, named.
      { method: 'POST', path: /^\/admin\/forgot-password$/, handle: labelled('admin.password.forgot', ADMIN_USER) },
      { method: 'POST', path: /^\/admin\/reset-password$/, handle: labelled('admin.password.reset', ADMIN_USER) },
      { method: 'POST', path: /^\/admin\/register$/, handle: labelled('admin.register', ADMIN_USER) },
      { method: 'POST', path: new RegExp(`^${restPrefix()}/auth/local$`), handle: signIn('user', 'user.login') },
      { method: 'POST', path: new RegExp(`^${restPrefix()}/auth/local/register$`), handle: labelled('user.register', USER) },
      { method: 'POST', path: new RegExp(`^${restPrefix()}/auth/forgot-password$`), handle: labelled('user.password.forgot', USER) },
      { method: 'POST', path: new RegExp(`^${restPrefix()}/auth/reset-password$`), handle: labelled('user.password.reset', USER) },
      { method: 'DELETE', path: new RegExp(`^${restPrefix()}/auth/sessions/[^/]+$`), handle: sessionEnd('user.session.revoke', (ctx) => ({ session: ctx.params?.sessionId ?? null }), USER) },
    ]);

  /**
   * A content-API write refused 401 or 403 by Strapi's authentication or permissions, with who
   * asked and the route (its pattern, not the URL). Reads are not recorded: every anonymous GET of a
   * personal type would be an entry.
   */
  async function recordRefusal(ctx: Ctx) {
    const route = ctx.state.route;
    if (!refusedEarly.has(ctx) || route?.info?.type !== 'content-api' || !WRITES.has(ctx.method)) return;
    await append('access.denied', {
      subject: typeof route.handler === 'string' ? route.handler : 'content-api',
      id: ctx.params?.id ?? null,
      failure: refusalOf(ctx),
      details: { route: `${ctx.method} ${restPrefix()}${route.path ?? ''}` },
    }).catch((error: Error) => strapi.log.error(`audit-trail: a refused request was not recorded: ${error.message}`));
  }

  strapi.server.use(async (ctx: Ctx, next: Next) => {
    const rule = rulesNow().find((candidate) => candidate.method === ctx.method && candidate.path.test(ctx.path));
    if (rule) return rule.handle(ctx, next);
    await next();
    if (ctx.status === 401 || ctx.status === 403) await recordRefusal(ctx);
  });

  // Strapi's route chain is route info → authenticate → authorize → policies → handler. The two
  // auth steps answer 401/403 themselves; marking the request here is what tells the middleware
  // above that nothing past them ran (a 403 from a handler or the Document Service is not this).
  const auth = strapi.get('auth') as {
    authenticate(ctx: Ctx, next: Next): Promise<unknown>;
    verify(auth: unknown, config: unknown): Promise<unknown>;
  };
  const { authenticate, verify } = auth;
  auth.authenticate = async (ctx, next) => {
    let passed = false;
    const result = await authenticate.call(auth, ctx, () => {
      passed = true;
      return next();
    });
    if (!passed && ctx.status === 401) refusedEarly.add(ctx);
    return result;
  };
  auth.verify = async (state, config) => {
    try {
      return await verify.call(auth, state, config);
    } catch (error) {
      const denied = error instanceof errors.UnauthorizedError || (error instanceof errors.ForbiddenError && !(error instanceof errors.PolicyError));
      const ctx = strapi.requestContext.get() as object | undefined;
      if (denied && ctx) refusedEarly.add(ctx);
      throw error;
    }
  };
}
