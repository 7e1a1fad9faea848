import type { Core } from '@strapi/strapi';
import { recordAdminAccounts } from './admin-accounts';
import { recordRequests } from './requests';
import { recordTokens } from './tokens';
import { recordTwoFactor } from './two-factor';
import { recordUserRoles } from './user-roles';

/** Who did what to accounts and permissions: sign-ins, two-factor, sessions, users, roles, permissions and tokens. */
export function recordAccountEvents(strapi: Core.Strapi) {
  recordRequests(strapi);
  recordAdminAccounts(strapi);
  recordUserRoles(strapi);
  recordTokens(strapi);
  recordTwoFactor(strapi);
}
