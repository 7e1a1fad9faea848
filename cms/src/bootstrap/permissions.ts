import type { Core } from '@strapi/strapi';
import { isPublicContent, PUBLIC_CONTENT } from '../lib/public-content';

/** What anyone on the internet may read: published content, never people. */
const PUBLIC_READ = PUBLIC_CONTENT.flatMap((uid) => [`${uid}.find`, `${uid}.findOne`]);

/**
 * Public permissions that must never exist: on any app type that is not public content, and on
 * accounts. Those types have no content-API routes, so such a permission is left over from an older
 * version or ticked by hand; it goes before a route could ever make it mean something.
 */
const isNeverPublic = (action: string) =>
  (action.startsWith('api::') && !isPublicContent(action.slice(0, action.lastIndexOf('.')))) ||
  action.startsWith('plugin::users-permissions.user.');

export async function grantPublicPermissions(strapi: Core.Strapi) {
  const roles = strapi.db.query('plugin::users-permissions.role');
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const publicRole = await roles.findOne({ where: { type: 'public' } });
  if (!publicRole) throw new Error('users-permissions has no public role');

  const existing = await permissions.findMany({ where: { role: publicRole.id }, select: ['id', 'action'] });
  const granted = new Set(existing.map((permission: { action: string }) => permission.action));
  for (const action of PUBLIC_READ) {
    if (!granted.has(action)) await permissions.create({ data: { action, role: publicRole.id } });
  }

  const forbidden = existing.filter((permission: { action: string }) => isNeverPublic(permission.action));
  if (forbidden.length > 0) {
    strapi.log.warn(`Removing public permissions on personal data: ${forbidden.map((p: { action: string }) => p.action).join(', ')}`);
    await permissions.deleteMany({ where: { id: { $in: forbidden.map((p: { id: number }) => p.id) } } });
  }

  const publicActions = [...new Set([...PUBLIC_READ, ...existing.map((permission: { action: string }) => permission.action)])].filter(
    (action) => !isNeverPublic(action)
  );
  await grantWhatThePublicHas(strapi, publicActions);
}

/**
 * users-permissions gives a signed-in user their role's permissions only, not the public's: without
 * this a fan who signs in loses the programme (403 on /api/events, "Forbidden access" in GraphQL).
 * Every role other than Public is given what Public has, at each start; anything more a role holds
 * is kept.
 */
async function grantWhatThePublicHas(strapi: Core.Strapi, publicActions: string[]) {
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const roles = (await strapi.db.query('plugin::users-permissions.role').findMany({ where: { type: { $ne: 'public' } }, select: ['id'] })) as { id: number }[];
  for (const role of roles) {
    const held = new Set(
      ((await permissions.findMany({ where: { role: role.id }, select: ['action'] })) as { action: string }[]).map((permission) => permission.action)
    );
    for (const action of publicActions) {
      if (!held.has(action)) await permissions.create({ data: { action, role: role.id } });
    }
  }
}
