import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'tokens').install();
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Background jobs (view, retry)', uid: 'jobs', pluginName: 'ops' },
    { section: 'plugins', displayName: 'Backups (view, back up now, download)', uid: 'backups', pluginName: 'ops' },
  ]);
};

export default bootstrap;
