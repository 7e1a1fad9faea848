import type { Core } from '@strapi/strapi';
import { PUBLIC_CONTENT } from '../lib/public-content';
import { READ_ONLY_IN_ADMIN } from './read-only-in-admin';

const READ = 'plugin::content-manager.explorer.read';

type Permission = { action: string; subject: string | null; properties?: Record<string, unknown> };

/**
 * Ovation's admin roles beside Strapi's Super Admin and Editor (src/bootstrap/editor-role.ts), with
 * the least each needs: Viewer reads the editorial content; Marketing reads it too, and the fans,
 * their consent records and the outbox (the CRM's campaigns will add to it). Neither writes anything.
 */
const ADMIN_ROLES = [
  { code: 'ovation-viewer', name: 'Viewer', description: 'Reads events, rounds, artists, lineups and posts; changes nothing.', reads: [...PUBLIC_CONTENT], actions: [] },
  {
    code: 'ovation-marketing',
    name: 'Marketing',
    description: 'Reads the editorial content, fans, consent records and the outbox; builds segments and runs campaigns (plugins/crm).',
    reads: [...PUBLIC_CONTENT, ...READ_ONLY_IN_ADMIN],
    // The CRM's own permissions (plugins/crm), where that plugin is loaded.
    actions: ['plugin::crm.read', 'plugin::crm.manage'],
  },
] as const;

/** What a signed-in account may do with its own account, beside what the public reads (src/bootstrap/permissions.ts). */
const OWN_ACCOUNT = ['user.me', 'auth.changePassword', 'auth.logout', 'auth.getSessions', 'auth.revokeSession'].map(
  (action) => `plugin::users-permissions.${action}`
);

/** users-permissions roles for the people the admin invites: no more than a signed-in fan, for now. */
const USER_ROLES = [
  { type: 'artist', name: 'Artist', description: 'An artist invited from the admin: their own account, and what the public reads.' },
  { type: 'partner', name: 'Partner', description: 'A partner invited from the admin: their own account, and what the public reads.' },
] as const;

async function provisionAdminRoles(strapi: Core.Strapi) {
  const roles = strapi.service('admin::role');
  const { actionProvider } = strapi.service('admin::permission');
  const read = actionProvider.get(READ);
  const all = strapi.service('admin::content-type').getPermissionsWithNestedFields([read]) as Permission[];
  for (const definition of ADMIN_ROLES) {
    const role = (await roles.findOne({ code: definition.code })) ?? (await roles.create({ name: definition.name, code: definition.code, description: definition.description }));
    const held = (await strapi.db.query('admin::permission').findMany({ where: { role: role.id, action: READ } })) as Permission[];
    const missing = all.filter(
      (permission) => (definition.reads as readonly string[]).includes(permission.subject ?? '') && !held.some((h) => h.subject === permission.subject)
    );
    // Every language (`locales: null`), as the Editor role; a read an administrator took away comes back.
    if (missing.length > 0) await roles.addPermissions(role.id, missing.map((permission) => ({ ...permission, properties: { ...permission.properties, locales: null } })));
    const actions = (definition.actions as readonly string[]).filter((action) => actionProvider.get(action));
    const heldActions = (await strapi.db.query('admin::permission').findMany({ where: { role: role.id, action: { $in: actions } } })) as Permission[];
    const lacking = actions.filter((action) => !heldActions.some((h) => h.action === action));
    if (lacking.length > 0) await roles.addPermissions(role.id, lacking.map((action) => ({ action, subject: null, properties: {}, conditions: [] })));
  }
}

async function provisionUserRoles(strapi: Core.Strapi) {
  const roles = strapi.db.query('plugin::users-permissions.role');
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const definition of USER_ROLES) {
    const role = (await roles.findOne({ where: { type: definition.type } })) ?? (await roles.create({ data: { ...definition } }));
    const held = new Set(((await permissions.findMany({ where: { role: role.id }, select: ['action'] })) as { action: string }[]).map((p) => p.action));
    for (const action of OWN_ACCOUNT) if (!held.has(action)) await permissions.create({ data: { action, role: role.id } });
  }
}

/** Creates Ovation's roles on first start and gives back a permission they lost; anything else an administrator set is kept. */
export async function provisionRoles(strapi: Core.Strapi) {
  await provisionAdminRoles(strapi);
  await provisionUserRoles(strapi);
}
