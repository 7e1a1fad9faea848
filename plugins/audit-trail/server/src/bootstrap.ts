import type { Core } from '@strapi/strapi';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Read the audit trail', uid: 'read', pluginName: 'audit-trail' },
    { section: 'plugins', displayName: 'Export the audit trail', uid: 'export', pluginName: 'audit-trail' },
  ]);
};

export default bootstrap;
