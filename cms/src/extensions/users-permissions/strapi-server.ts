import type { Core } from '@strapi/strapi';
import { withHashedConfirmations } from '../../lib/accounts/email-confirmation';
import { withAccountRules } from '../../lib/accounts/user-auth';

type Route = { handler: string };
type Controller = Record<string, (...args: never[]) => Promise<unknown>>;
type UsersPermissionsPlugin = {
  routes: Record<string, { routes: Route[] }>;
  controllers: Record<string, (deps: { strapi: Core.Strapi }) => Controller>;
  services: Record<string, (deps: { strapi: Core.Strapi }) => Record<string, unknown>>;
};

/**
 * The routes that list, read or change other people's accounts (`/api/users`, `/api/users/:id`,
 * `/api/users/count`): a read-only API token may call any `find`, so they would hand out every
 * account's email. Accounts are managed in the admin; a signed-in user still reads `/api/users/me`.
 * GraphQL's side is in src/bootstrap/personal-data.ts.
 */
const ACCOUNT_HANDLERS = ['user.find', 'user.findOne', 'user.count', 'user.create', 'user.update', 'user.destroy'];

export default (plugin: UsersPermissionsPlugin) => {
  const contentApi = plugin.routes['content-api'];
  contentApi.routes = contentApi.routes.filter((route) => !ACCOUNT_HANDLERS.includes(route.handler));

  // Registration, forgot-password and reset-password under Ovation's rules (src/lib/accounts/user-auth.ts).
  const auth = plugin.controllers.auth;
  plugin.controllers.auth = ({ strapi }) => withAccountRules(strapi, auth({ strapi }) as never) as never;
  // Confirmation codes stored hashed, valid 24 hours (src/lib/accounts/email-confirmation.ts).
  const user = plugin.services.user;
  plugin.services.user = ({ strapi }) => withHashedConfirmations(strapi, user({ strapi }) as never);
  return plugin;
};
