/** The permission that reads the trail (entries and checkpoints); nothing in the plugin writes through a route. */
export const READ_PERMISSION = 'plugin::audit-trail.read';
/** Exporting takes reading and this: a whole range leaves the system in one file. */
export const EXPORT_PERMISSION = 'plugin::audit-trail.export';

const allowed = (...actions: string[]) => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions } }];

export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/entries', handler: 'entries.list', config: { policies: allowed(READ_PERMISSION) } },
    { method: 'GET', path: '/checkpoints', handler: 'checkpoints.list', config: { policies: allowed(READ_PERMISSION) } },
    { method: 'GET', path: '/export', handler: 'exports.download', config: { policies: allowed(READ_PERMISSION, EXPORT_PERMISSION) } },
    // Reads the chain and writes nothing: a POST only because it is an action someone starts.
    { method: 'POST', path: '/verify', handler: 'verification.verify', config: { policies: allowed(READ_PERMISSION) } },
  ],
};
