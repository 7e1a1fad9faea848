import type { Core } from '@strapi/strapi';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Segments and campaigns are the admin's alone: never in GraphQL (its content-API routes are marketing email's sign-up and unsubscribe links only).
  for (const uid of ['plugin::crm.segment', 'plugin::crm.campaign', 'plugin::crm.email-confirmation']) {
    strapi.plugin('graphql')?.service('extension')?.shadowCRUD(uid).disable();
  }
};

export default register;
