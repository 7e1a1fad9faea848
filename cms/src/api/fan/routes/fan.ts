import { factories } from '@strapi/strapi';

// Personal data: readable only with an API token or admin session granted it, never by the public.
export default factories.createCoreRouter('api::fan.fan', { only: ['find', 'findOne'] });
