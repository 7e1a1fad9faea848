import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::lineup-entry.lineup-entry');
