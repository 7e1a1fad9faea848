const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ops.jobs'] } }];
const backups = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ops.backups'] } }];
// API tokens' budgets and usage: Strapi's own API-token permissions (Settings › API Tokens).
const tokens = (action: 'read' | 'update' | 'regenerate') => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`admin::api-tokens.${action}`] } }];

/** The Jobs, Backups and API token budgets pages' API: signed-in admins with the matching permission. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/jobs/summary', handler: 'jobs.summary', config: { policies } },
    { method: 'GET', path: '/jobs', handler: 'jobs.list', config: { policies } },
    { method: 'POST', path: '/jobs/:id/retry', handler: 'jobs.retry', config: { policies } },
    { method: 'GET', path: '/backups', handler: 'backups.overview', config: { policies: backups } },
    { method: 'POST', path: '/backups', handler: 'backups.create', config: { policies: backups } },
    { method: 'GET', path: '/backups/:id/download', handler: 'backups.download', config: { policies: backups } },
    { method: 'GET', path: '/tokens', handler: 'tokens.list', config: { policies: tokens('read') } },
    { method: 'PUT', path: '/tokens/:id/budget', handler: 'tokens.setBudget', config: { policies: tokens('update') } },
    { method: 'POST', path: '/tokens/:id/rotate', handler: 'tokens.rotate', config: { policies: tokens('regenerate') } },
  ],
};
