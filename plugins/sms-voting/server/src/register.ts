import type { Core } from '@strapi/strapi';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Voting internals stay out of GraphQL: partners read content there, not tokens or votes.
  const extension = strapi.plugin('graphql')?.service('extension');
  for (const type of ['attendance', 'vote-token', 'vote', 'inbound-message', 'suspicious-activity']) {
    extension?.shadowCRUD(`plugin::sms-voting.${type}`).disable();
  }
};

export default register;
