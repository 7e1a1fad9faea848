import type { Core } from '@strapi/strapi';
import { audited, changedFields, extendService, permissionChanges, type AccountChange } from './audited-call';

type Id = string | number;
type Row = Record<string, unknown> & { id: Id };
type AdminUser = Row & { roles?: { code?: string }[] };
type AdminPermission = { action: string; subject?: string | null; properties?: { fields?: string[] | null } | null; conditions?: string[] | null };

type UserService = {
  create(attributes: object): Promise<AdminUser>;
  createFirstAdmin(attributes: object): Promise<AdminUser>;
  resetPasswordByEmail(email: string, password: string): Promise<void>;
  updateById(id: Id, attributes: object): Promise<AdminUser | null>;
  deleteById(id: Id): Promise<AdminUser | null>;
  deleteByIds(ids: Id[]): Promise<AdminUser[]>;
};
type RoleService = {
  create(attributes: object): Promise<Row>;
  update(params: object, attributes: object): Promise<Row | null>;
  deleteByIds(ids: Id[]): Promise<Row[]>;
  assignPermissions(roleId: Id, permissions: object[]): Promise<unknown>;
};

const USER = 'admin::user';
const ROLE = 'admin::role';

/**
 * An admin account as its entries show it: names, state and role codes. The email and the password
 * (its hash) and reset or registration tokens are compared but only ever shown redacted.
 */
const accountOf = (user: AdminUser | null) =>
  user && {
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    email: user.email ?? null,
    password: user.password ?? null,
    isActive: user.isActive ?? null,
    blocked: user.blocked ?? null,
    roles: (user.roles ?? []).map((role) => role.code).sort(),
    resetPasswordToken: user.resetPasswordToken ?? null,
    registrationToken: user.registrationToken ?? null,
  };

const roleOf = (role: Row | null) => role && { name: role.name ?? null, code: role.code ?? null, description: role.description ?? null };

/** One permission as a line a person reads: action, subject, fields and conditions. */
const permissionLine = (permission: AdminPermission) =>
  [
    permission.action,
    permission.subject ?? '',
    permission.properties?.fields?.length ? `[${[...permission.properties.fields].sort().join(',')}]` : '',
    permission.conditions?.length ? `if ${[...permission.conditions].sort().join(',')}` : '',
  ]
    .filter(Boolean)
    .join(' ');

export function recordAdminAccounts(strapi: Core.Strapi) {
  const findUser = (id: Id) => strapi.db.query(USER).findOne({ where: { id }, populate: ['roles'] }) as Promise<AdminUser | null>;
  const permissionsOf = async (roleId: Id) =>
    ((await strapi.db.query('admin::permission').findMany({ where: { role: { id: roleId } } })) as AdminPermission[]).map(permissionLine);

  const created = (user: AdminUser): AccountChange => ({ action: 'admin.user.create', subject: USER, id: user.id, before: null, after: accountOf(user) });
  const updated = (before: AdminUser | null, after: AdminUser | null): AccountChange | null => {
    const diff = before && after && changedFields(accountOf(before)!, accountOf(after)!);
    return diff ? { action: 'admin.user.update', subject: USER, id: after!.id, ...diff } : null;
  };
  const deleted = (user: AdminUser | null): AccountChange | null =>
    user && { action: 'admin.user.delete', subject: USER, id: user.id, before: accountOf(user), after: null };

  extendService<UserService>(strapi, 'admin::user', (service) => ({
    create: audited(strapi, service.create.bind(service), () => ({
      changes: (user) => [created(user)],
      refused: { action: 'admin.user.create', subject: USER, id: null },
    })),
    createFirstAdmin: audited(strapi, service.createFirstAdmin.bind(service), () => ({
      changes: (user) => [created(user)],
      refused: { action: 'admin.user.create', subject: USER, id: null },
    })),
    updateById: audited(strapi, service.updateById.bind(service), (id) => ({
      before: () => findUser(id),
      changes: async (user, before: AdminUser | null) => [user && updated(before, await findUser(id))],
      refused: { action: 'admin.user.update', subject: USER, id },
    })),
    // `strapi admin:reset-user-password` and `npm run admin:password` (Strapi calls its own updateById inside).
    resetPasswordByEmail: audited(strapi, service.resetPasswordByEmail.bind(service), (email) => ({
      before: () => strapi.db.query(USER).findOne({ where: { email }, populate: ['roles'] }) as Promise<AdminUser | null>,
      changes: async (_result, before: AdminUser | null) => [before && updated(before, await findUser(before.id))],
      refused: { action: 'admin.user.update', subject: USER, id: null },
    })),
    deleteById: audited(strapi, service.deleteById.bind(service), (id) => ({
      changes: (user) => [deleted(user)],
      refused: { action: 'admin.user.delete', subject: USER, id },
    })),
    deleteByIds: audited(strapi, service.deleteByIds.bind(service), () => ({
      changes: (users) => users.map(deleted),
      refused: { action: 'admin.user.delete', subject: USER, id: null },
    })),
  }));

  extendService<RoleService>(strapi, 'admin::role', (service) => ({
    create: audited(strapi, service.create.bind(service), () => ({
      changes: (role) => [{ action: 'admin.role.create', subject: ROLE, id: role.id, before: null, after: roleOf(role) }],
      refused: { action: 'admin.role.create', subject: ROLE, id: null },
    })),
    update: audited(strapi, service.update.bind(service), (params) => ({
      before: () => strapi.db.query(ROLE).findOne({ where: params }) as Promise<Row | null>,
      changes: (role, before: Row | null) => {
        const diff = role && before && changedFields(roleOf(before)!, roleOf(role)!);
        return [diff && { action: 'admin.role.update', subject: ROLE, id: role.id, ...diff }];
      },
      refused: { action: 'admin.role.update', subject: ROLE, id: (params as { id?: Id }).id ?? null },
    })),
    deleteByIds: audited(strapi, service.deleteByIds.bind(service), (ids) => ({
      before: async () => new Map(await Promise.all(ids.map(async (id) => [String(id), await permissionsOf(id)] as const))),
      changes: (roles, permissions: Map<string, string[]>) =>
        roles.map((role) => ({
          action: 'admin.role.delete' as const,
          subject: ROLE,
          id: role.id,
          before: { ...roleOf(role), permissions: permissions.get(String(role.id)) ?? [] },
          after: null,
        })),
      refused: { action: 'admin.role.delete', subject: ROLE, id: ids.length === 1 ? ids[0] : null },
    })),
    // The role's permissions as a whole (the admin's "Save" on a role's permissions page, and
    // Strapi's own sync of the super admin's at boot): what was added and removed, or no entry.
    assignPermissions: audited(strapi, service.assignPermissions.bind(service), (roleId) => ({
      before: () => permissionsOf(roleId),
      changes: async (_result, before: string[]) => {
        const diff = permissionChanges(before, await permissionsOf(roleId));
        return [diff && { action: 'admin.role.permissions', subject: ROLE, id: roleId, ...diff }];
      },
      refused: { action: 'admin.role.permissions', subject: ROLE, id: roleId },
    })),
  }));
}
