/** The permission that reads the trail; nothing in the plugin writes through a route. */
export const READ_PERMISSION = 'plugin::audit-trail.read';

const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [READ_PERMISSION] } }];

export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/entries', handler: 'entries.list', config: { policies } },
    // Reads the chain and writes nothing: a POST only because it is an action someone starts.
    { method: 'POST', path: '/verify', handler: 'verification.verify', config: { policies } },
  ],
};
