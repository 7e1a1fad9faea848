/** Resetting another admin's two-factor sign-in (super admins have every action). */
export const RESET_PERMISSION = 'plugin::two-factor.reset';

const signedIn = ['admin::isAuthenticatedAdmin'];

/** The signed-in admin's own two-factor, under `/two-factor/…` (an admin session is required). */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/me', handler: 'admin.status', config: { policies: signedIn } },
    { method: 'POST', path: '/me/enrol', handler: 'admin.enrol', config: { policies: signedIn } },
    { method: 'POST', path: '/me/confirm', handler: 'admin.confirm', config: { policies: signedIn } },
    { method: 'POST', path: '/me/disable', handler: 'admin.disable', config: { policies: signedIn } },
    { method: 'POST', path: '/me/recovery-codes', handler: 'admin.regenerate', config: { policies: signedIn } },
    {
      method: 'DELETE',
      path: '/users/:id',
      handler: 'admin.reset',
      config: { policies: [...signedIn, { name: 'admin::hasPermissions', config: { actions: [RESET_PERMISSION] } }] },
    },
  ],
};
