import type { Core } from '@strapi/strapi';

/** What anyone on the internet may read: published content, never people. */
const PUBLIC_READ = ['event', 'round', 'artist', 'lineup-entry', 'post'].flatMap((type) => [
  `api::${type}.${type}.find`,
  `api::${type}.${type}.findOne`,
]);

/** Types that hold personal data: no public permission may ever exist on them. */
const NEVER_PUBLIC = ['api::fan.', 'api::consent-record.', 'api::message.'];

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

  const forbidden = existing.filter((permission: { action: string }) =>
    NEVER_PUBLIC.some((prefix) => permission.action.startsWith(prefix))
  );
  if (forbidden.length > 0) {
    strapi.log.warn(`Removing public permissions on personal data: ${forbidden.map((p: { action: string }) => p.action).join(', ')}`);
    await permissions.deleteMany({ where: { id: { $in: forbidden.map((p: { id: number }) => p.id) } } });
  }
}
