import type { Core } from '@strapi/strapi';
import { gateAdminSignIn } from './login/admin-login';
import { gateApiSignIn } from './login/api-login';
import { addAdminVerifyRoute } from './login/admin-verify-route';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Factors, recovery codes and challenges stay out of GraphQL.
  const extension = strapi.plugin('graphql')?.service('extension');
  for (const type of ['factor', 'recovery-code', 'challenge']) extension?.shadowCRUD(`plugin::two-factor.${type}`).disable();
  // Before the routes are bound: the sign-in controllers are wrapped where Strapi keeps them.
  gateApiSignIn(strapi);
  gateAdminSignIn(strapi);
  addAdminVerifyRoute(strapi);
};

export default register;
