/** Resetting another admin's two-factor sign-in (super admins have every action). */
export const RESET_PERMISSION = 'plugin::two-factor.reset';
/** Choosing the admin roles that must use two-factor sign-in (super admins). */
export const SETTINGS_PERMISSION = 'plugin::two-factor.settings';

const signedIn = ['admin::isAuthenticatedAdmin'];
const allowed = (action: string) => ({ policies: [...signedIn, { name: 'admin::hasPermissions', config: { actions: [action] } }] });

/** The signed-in admin's own two-factor, under `/two-factor/…` (an admin session is required). */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/me', handler: 'admin.status', config: { policies: signedIn } },
    { method: 'POST', path: '/me/enrol', handler: 'admin.enrol', config: { policies: signedIn } },
    { method: 'POST', path: '/me/confirm', handler: 'admin.confirm', config: { policies: signedIn } },
    { method: 'POST', path: '/me/disable', handler: 'admin.disable', config: { policies: signedIn } },
    { method: 'POST', path: '/me/recovery-codes', handler: 'admin.regenerate', config: { policies: signedIn } },
    { method: 'GET', path: '/users', handler: 'team.users', config: allowed(RESET_PERMISSION) },
    { method: 'DELETE', path: '/users/:id', handler: 'admin.reset', config: allowed(RESET_PERMISSION) },
    { method: 'GET', path: '/settings', handler: 'team.settings', config: allowed(SETTINGS_PERMISSION) },
    { method: 'PUT', path: '/settings', handler: 'team.saveSettings', config: allowed(SETTINGS_PERMISSION) },
  ],
};
