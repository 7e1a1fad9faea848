import type { Core } from '@strapi/strapi';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Background jobs (view, retry)', uid: 'jobs', pluginName: 'ops' },
    { section: 'plugins', displayName: 'Backups (view, back up now, download)', uid: 'backups', pluginName: 'ops' },
  ]);
};

export default bootstrap;
