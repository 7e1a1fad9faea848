import { isDeepStrictEqual } from 'util';
import type { Core } from '@strapi/strapi';
import { isPublicContent, PUBLIC_CONTENT } from '../lib/public-content';

const EDITOR_ROLE = 'strapi-editor';
/** The fields of each editorial type at the last start, to tell a field an upgrade added from one an administrator removed. */
export const KNOWN_FIELDS = { type: 'app', name: 'ovation', key: 'editor-role-fields' } as const;
const ACTIONS = ['create', 'read', 'update', 'delete', 'publish'].map((action) => `plugin::content-manager.explorer.${action}`);

type Permission = { id?: number; action: string; subject: string | null; properties?: { fields?: string[] | null; locales?: string[] | null } };

/**
 * Gives Strapi's Editor role the whole of Ovation's editorial content (what the public reads), in every
 * language. Strapi
 * creates the role on first start with no locale on its permissions, so an editor sees no event at all
 * (not in the list, not in a round's event picker) and cannot delete or publish one. Missing
 * permissions are added and those without locales are given every locale (`locales: null`, which
 * Strapi reads as all of them, present and future) and every field; a field an upgrade adds later is
 * given too. Anything else an administrator set is kept.
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

  // Fields an upgrade added since the last start are granted; one an administrator took away stays away.
  const store = strapi.store(KNOWN_FIELDS);
  const known = ((await store.get({})) ?? {}) as Record<string, string[]>;
  const wantedByKey = new Map(wanted.map((permission) => [key(permission), permission]));
  for (const permission of held) {
    const properties = permission.properties ?? {};
    const all = wantedByKey.get(key(permission))?.properties?.fields;
    const next = { ...properties };
    const untouched = properties.locales !== null && !(Array.isArray(properties.locales) && properties.locales.length > 0);
    if (untouched) {
      // As Strapi created it: no locale (so no access at all) and the fields of its first start.
      next.locales = null;
      if (all) next.fields = all;
    } else if (all && Array.isArray(properties.fields) && permission.subject && known[permission.subject]) {
      const added = all.filter((field) => !known[permission.subject as string].includes(field) && !properties.fields?.includes(field));
      if (added.length > 0) next.fields = [...properties.fields, ...added];
    }
    if (isDeepStrictEqual(next, properties)) continue;
    await strapi.db.query('admin::permission').update({ where: { id: permission.id }, data: { properties: next } });
  }

  for (const permission of wanted) {
    if (permission.subject && permission.properties?.fields) known[permission.subject] = permission.properties.fields;
  }
  await store.set({ value: known });
}
