import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::lineup-entry.lineup-entry');
