import type { Core } from '@strapi/strapi';
import { isPublicContent } from '../lib/public-content';

const ACCOUNT = 'plugin::users-permissions.user';

/**
 * Keeps personal and internal types out of GraphQL. Every app type that is not public content is
 * left out of the schema, so a new type is hidden until it is made public on purpose (the plugins
 * hide their own types in their register). REST has no routes for them at all; for accounts see
 * src/extensions/users-permissions.
 */
export function hidePersonalData(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension');
  for (const uid of Object.keys(strapi.contentTypes)) {
    if (uid.startsWith('api::') && !isPublicContent(uid)) extension.shadowCRUD(uid).disable();
  }

  // users-permissions' own account mutations return the account type, so it stays in the schema:
  // no query reaches it (not even through a role's users), and the mutations are refused.
  extension.shadowCRUD(ACCOUNT).disableQueries();
  extension.shadowCRUD('plugin::users-permissions.role').field('users').disable();
  const { naming } = graphql.service('utils');
  const account = strapi.contentType(ACCOUNT);
  const mutations = [naming.getCreateMutationTypeName(account), naming.getUpdateMutationTypeName(account), naming.getDeleteMutationTypeName(account)];
  extension.use({
    resolversConfig: Object.fromEntries(mutations.map((name: string) => [`Mutation.${name}`, { policies: ['global::accounts-in-admin-only'] }])),
  });
}
