import type { Core } from '@strapi/strapi';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Invitations, account links and pending changes stay out of GraphQL.
  const extension = strapi.plugin('graphql')?.service('extension');
  for (const type of ['invitation', 'artist-account', 'profile-change']) extension?.shadowCRUD(`plugin::artist-portal.${type}`).disable();
};

export default register;
