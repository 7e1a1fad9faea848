import type { Core } from '@strapi/strapi';

/**
 * Types only Ovation itself writes: the outbox (the workers), fans (the keyword router) and the
 * consent ledger (append-only). The admin shows them and changes nothing.
 */
export const READ_ONLY_IN_ADMIN = ['api::message.message', 'api::fan.fan', 'api::consent-record.consent-record'];

const WRITE_ACTIONS = ['create', 'update', 'delete', 'publish'].map((action) => `plugin::content-manager.explorer.${action}`);

type Action = { actionId: string; subjects?: string[] };

/**
 * The Content Manager's write actions never apply to those types, so no role can be given them:
 * the super admin's permissions are rebuilt from the actions at every start, the Roles page offers
 * no such checkbox, the admin shows no "Create new entry", edit or delete, and the Content Manager's
 * API answers 403. Permissions granted before are removed by Strapi's own clean-up at start.
 * Must run in `register`, before the Content Manager registers its actions in its bootstrap.
 */
export function keepReadOnlyInAdmin(strapi: Core.Strapi) {
  strapi.service('admin::permission').actionProvider.hooks.willRegister.register(({ value: action }: { value: Action }) => {
    if (WRITE_ACTIONS.includes(action.actionId) && action.subjects) {
      action.subjects = action.subjects.filter((subject) => !READ_ONLY_IN_ADMIN.includes(subject));
    }
  });
}
