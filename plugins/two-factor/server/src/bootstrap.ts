import type { Core } from '@strapi/strapi';
import { USER_ACTIONS } from './routes/content-api';

const ROLE = 'plugin::users-permissions.role';
const PERMISSION = 'plugin::users-permissions.permission';

/**
 * Every users-permissions role but Public may manage its own two-factor sign-in (the routes act on
 * the signed-in user only). Granted at each start, so roles added since get it too.
 */
async function grantUserActions(strapi: Core.Strapi) {
  const roles = (await strapi.db.query(ROLE).findMany({ where: { type: { $ne: 'public' } }, select: ['id'] })) as { id: number }[];
  for (const role of roles) {
    const granted = new Set(((await strapi.db.query(PERMISSION).findMany({ where: { role: role.id, action: { $in: USER_ACTIONS } }, select: ['action'] })) as { action: string }[]).map((row) => row.action));
    for (const action of USER_ACTIONS.filter((name) => !granted.has(name))) {
      await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
    }
  }
}

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: "Reset another admin's two-factor sign-in", uid: 'reset', pluginName: 'two-factor' },
    { section: 'plugins', displayName: 'Choose the admin roles that must use two-factor sign-in', uid: 'settings', pluginName: 'two-factor' },
  ]);
  await grantUserActions(strapi);
};

export default bootstrap;
