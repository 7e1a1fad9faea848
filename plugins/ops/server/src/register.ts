import type { Core } from '@strapi/strapi';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Jobs are internal: never in GraphQL (and the plugin declares no content-API routes).
  strapi.plugin('graphql')?.service('extension')?.shadowCRUD('plugin::ops.job').disable();
};

export default register;
