import type { Core } from '@strapi/strapi';
import { audited, changedFields, extendService, permissionChanges } from './audited-call';

type Id = string | number;
type Role = { id: Id; name?: string; description?: string | null; type?: string; permissions?: { action: string }[] };

type UserRoleService = {
  createRole(params: { name?: string; type?: string }): Promise<unknown>;
  updateRole(roleId: Id, data: object): Promise<unknown>;
  deleteRole(roleId: Id, publicRoleId: Id): Promise<unknown>;
};

const ROLE = 'plugin::users-permissions.role';

const roleOf = (role: Role) => ({ name: role.name ?? null, description: role.description ?? null, type: role.type ?? null });
const actionsOf = (role: Role) => (role.permissions ?? []).map((permission) => permission.action).sort();

/**
 * The users-permissions roles (the admin's Settings → Users & Permissions → Roles): a role's fields
 * and the content-API actions it allows, added and removed, one entry per save in its transaction.
 */
export function recordUserRoles(strapi: Core.Strapi) {
  const find = (where: object) =>
    strapi.db.query(ROLE).findOne({ where, populate: ['permissions'], orderBy: { id: 'desc' } }) as Promise<Role | null>;

  extendService<UserRoleService>(strapi, 'plugin::users-permissions.role', (service) => ({
    // Strapi's createRole returns nothing: the role is found again by the type it was given (set on `params`).
    createRole: audited(strapi, service.createRole.bind(service), (params) => ({
      changes: async () => {
        const role = params.type ? await find({ type: params.type }) : null;
        return [role && { action: 'user.role.create', subject: ROLE, id: role.id, before: null, after: { ...roleOf(role), permissions: actionsOf(role) } }];
      },
      refused: { action: 'user.role.create', subject: ROLE, id: null },
    })),
    updateRole: audited(strapi, service.updateRole.bind(service), (roleId) => ({
      before: () => find({ id: roleId }),
      changes: async (_result, before: Role | null) => {
        const after = await find({ id: roleId });
        if (!before || !after) return [];
        const fields = changedFields(roleOf(before), roleOf(after));
        const permissions = permissionChanges(actionsOf(before), actionsOf(after));
        if (!fields && !permissions) return [];
        return [
          {
            action: 'user.role.update',
            subject: ROLE,
            id: roleId,
            before: { ...fields?.before, ...permissions?.before },
            after: { ...fields?.after, ...permissions?.after },
          },
        ];
      },
      refused: { action: 'user.role.update', subject: ROLE, id: roleId },
    })),
    deleteRole: audited(strapi, service.deleteRole.bind(service), (roleId) => ({
      before: () => find({ id: roleId }),
      changes: (_result, before: Role | null) => [before && { action: 'user.role.delete', subject: ROLE, id: roleId, before: { ...roleOf(before), permissions: actionsOf(before) }, after: null }],
      refused: { action: 'user.role.delete', subject: ROLE, id: roleId },
    })),
  }));
}
