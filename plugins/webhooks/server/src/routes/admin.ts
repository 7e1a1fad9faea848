const can = (action: 'read' | 'manage') => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`plugin::webhooks.${action}`] } }];
const read = can('read');
const manage = can('manage');

/** The Webhooks admin API: signed-in admins with the Webhooks permissions (read to look, manage to change or send). */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/subscriptions', handler: 'subscriptions.list', config: { policies: read } },
    { method: 'POST', path: '/subscriptions', handler: 'subscriptions.create', config: { policies: manage } },
    { method: 'PUT', path: '/subscriptions/:id', handler: 'subscriptions.update', config: { policies: manage } },
    { method: 'DELETE', path: '/subscriptions/:id', handler: 'subscriptions.remove', config: { policies: manage } },
    { method: 'POST', path: '/subscriptions/:id/rotate', handler: 'subscriptions.rotate', config: { policies: manage } },
    { method: 'POST', path: '/subscriptions/:id/test', handler: 'subscriptions.sendTest', config: { policies: manage } },
    { method: 'GET', path: '/subscriptions/:id/deliveries', handler: 'deliveries.list', config: { policies: read } },
    { method: 'POST', path: '/subscriptions/:id/retry-failed', handler: 'deliveries.retryFailed', config: { policies: manage } },
    { method: 'POST', path: '/deliveries/:id/redeliver', handler: 'deliveries.redeliver', config: { policies: manage } },
  ],
};
