import type { Core } from '@strapi/strapi';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Segments and campaigns are the admin's alone: never in GraphQL (and the plugin declares no content-API routes).
  for (const uid of ['plugin::crm.segment', 'plugin::crm.campaign']) {
    strapi.plugin('graphql')?.service('extension')?.shadowCRUD(uid).disable();
  }
};

export default register;
