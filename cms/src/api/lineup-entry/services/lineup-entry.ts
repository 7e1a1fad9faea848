import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::lineup-entry.lineup-entry');
