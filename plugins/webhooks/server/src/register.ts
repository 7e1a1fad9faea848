import type { Core } from '@strapi/strapi';
import { emitDocumentEvents } from './document-events';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Subscriptions and deliveries are internal: never in GraphQL (and the plugin declares no content-API routes).
  for (const uid of ['plugin::webhooks.subscription', 'plugin::webhooks.delivery']) {
    strapi.plugin('graphql')?.service('extension')?.shadowCRUD(uid).disable();
  }
  emitDocumentEvents(strapi);
};

export default register;
