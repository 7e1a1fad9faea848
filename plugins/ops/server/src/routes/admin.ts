const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ops.jobs'] } }];

/** The Jobs page's API: signed-in admins with the "Background jobs" permission. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/jobs/summary', handler: 'jobs.summary', config: { policies } },
    { method: 'GET', path: '/jobs', handler: 'jobs.list', config: { policies } },
    { method: 'POST', path: '/jobs/:id/retry', handler: 'jobs.retry', config: { policies } },
  ],
};
