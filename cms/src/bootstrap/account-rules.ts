import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { passwordProblem } from '../lib/accounts/password-policy';

const USER = 'plugin::users-permissions.user';
type AdminUsers = Record<'create' | 'updateById', (...args: never[]) => Promise<unknown>>;

function checkPassword(password: unknown) {
  if (typeof password !== 'string' || password.length === 0) return;
  const problem = passwordProblem(password);
  if (problem) throw new errors.ValidationError(problem, { errors: [{ path: ['password'], message: problem, name: 'ValidationError' }] });
}

/**
 * Ovation's password policy (src/lib/accounts/password-policy.ts) wherever a password is set: for
 * users-permissions accounts in the Document Service (sign-up, reset, change, the admin's edit view,
 * GraphQL), for admins in the admin's user service (first admin, invitation, profile, another
 * admin's edit, reset, the CLI). A refused password is a ValidationError the admin's forms show.
 */
export function enforcePasswordPolicy(strapi: Core.Strapi) {
  const middleware: Modules.Documents.Middleware.Middleware = async (ctx, next) => {
    if (ctx.uid === USER && (ctx.action === 'create' || ctx.action === 'update')) {
      checkPassword((ctx.params as { data?: { password?: unknown } }).data?.password);
    }
    return next();
  };
  strapi.documents.use(middleware);

  const admins = strapi.service('admin::user') as unknown as AdminUsers;
  const { create, updateById } = admins;
  admins.create = (async (attributes: { password?: unknown }) => {
    checkPassword(attributes?.password);
    return create.call(admins, attributes as never);
  }) as never;
  admins.updateById = (async (id: unknown, attributes: { password?: unknown }) => {
    checkPassword(attributes?.password);
    return updateById.call(admins, id as never, attributes as never);
  }) as never;
}
