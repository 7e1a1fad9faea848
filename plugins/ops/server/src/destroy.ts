import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'jobs').shutdown();
  await getService(strapi, 'backups').shutdown();
  await getService(strapi, 'tokens').shutdown();
};

export default destroy;
