import type { Core } from '@strapi/strapi';
import { isPublicContent, PUBLIC_CONTENT } from '../lib/public-content';

const EDITOR_ROLE = 'strapi-editor';
const ACTIONS = ['create', 'read', 'update', 'delete', 'publish'].map((action) => `plugin::content-manager.explorer.${action}`);

type Permission = { id?: number; action: string; subject: string | null; properties?: { fields?: string[] | null; locales?: string[] | null } };

/**
 * Gives Strapi's Editor role the whole of Ovation's editorial content (what the public reads), in every
 * language. Strapi
 * creates the role on first start with no locale on its permissions, so an editor sees no event at all
 * (not in the list, not in a round's event picker) and cannot delete or publish one. Missing
 * permissions are added and those without locales are given every locale (`locales: null`, which
 * Strapi reads as all of them, present and future); anything else an administrator set is kept.
 */
export async function provisionEditorRole(strapi: Core.Strapi) {
  const role = await strapi.service('admin::role').findOne({ code: EDITOR_ROLE });
  if (!role) return;

  const held = (await strapi.db.query('admin::permission').findMany({
    where: { role: role.id, subject: { $in: [...PUBLIC_CONTENT] } },
  })) as Permission[];
  const key = (permission: Permission) => `${permission.action} ${permission.subject}`;
  const heldByKey = new Map(held.map((permission) => [key(permission), permission]));

  const { actionProvider } = strapi.service('admin::permission');
  const actions = ACTIONS.map((id) => actionProvider.get(id)).filter(Boolean);
  const wanted = (strapi.service('admin::content-type').getPermissionsWithNestedFields(actions) as Permission[]).filter(
    (permission) => isPublicContent(permission.subject ?? '')
  );

  const missing = wanted.filter((permission) => !heldByKey.has(key(permission)));
  if (missing.length > 0) {
    await strapi.service('admin::role').addPermissions(
      role.id,
      missing.map((permission) => ({ ...permission, properties: { ...permission.properties, locales: null } }))
    );
  }

  for (const permission of held) {
    const { locales } = permission.properties ?? {};
    if (locales === null || (Array.isArray(locales) && locales.length > 0)) continue;
    await strapi.db.query('admin::permission').update({
      where: { id: permission.id },
      data: { properties: { ...permission.properties, locales: null } },
    });
  }
}
