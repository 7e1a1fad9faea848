const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ops.jobs'] } }];
const backups = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ops.backups'] } }];

/** The Jobs and Backups pages' API: signed-in admins with the "Background jobs" or "Backups" permission. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/jobs/summary', handler: 'jobs.summary', config: { policies } },
    { method: 'GET', path: '/jobs', handler: 'jobs.list', config: { policies } },
    { method: 'POST', path: '/jobs/:id/retry', handler: 'jobs.retry', config: { policies } },
    { method: 'GET', path: '/backups', handler: 'backups.overview', config: { policies: backups } },
    { method: 'POST', path: '/backups', handler: 'backups.create', config: { policies: backups } },
    { method: 'GET', path: '/backups/:id/download', handler: 'backups.download', config: { policies: backups } },
  ],
};
