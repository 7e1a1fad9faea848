import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'rounds').stopSchedule();
  getService(strapi, 'leaderboard').stopSettling();
  await getService(strapi, 'abuse').flush();
  getService(strapi, 'live').stop();
  await getService(strapi, 'redis').close();
};

export default destroy;
