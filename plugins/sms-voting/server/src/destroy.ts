import type { Core } from '@strapi/strapi';
import { stopSchedule } from './bootstrap';
import { getService } from './utils/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  stopSchedule();
  getService(strapi, 'live').stop();
  await getService(strapi, 'redis').close();
};

export default destroy;
