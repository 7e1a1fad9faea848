import type { Core } from '@strapi/strapi';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Webhooks (view subscriptions and deliveries)', uid: 'read', pluginName: 'webhooks' },
    { section: 'plugins', displayName: 'Webhooks (create, edit, rotate, test, redeliver)', uid: 'manage', pluginName: 'webhooks' },
  ]);
};

export default bootstrap;
