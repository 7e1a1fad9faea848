import { errors } from '@strapi/utils';

/**
 * users-permissions' GraphQL mutations on accounts answer with the account (its email), and a
 * full-access token passes their permission check. Accounts are managed in the admin instead.
 */
const accountsInAdminOnly = () => {
  throw new errors.PolicyError('User accounts are managed in the admin, not over the content API', {
    policy: 'accounts-in-admin-only',
  });
};

export default accountsInAdminOnly;
