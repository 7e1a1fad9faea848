const canManage = [{ name: 'admin::hasPermissions', config: { actions: ['plugin::sms-voting.manage'] } }];

/** The admin's live event pages: signed-in editors with the "Manage voting" permission. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/events', handler: 'admin.events', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'GET', path: '/events/:documentId', handler: 'admin.event', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'POST', path: '/rounds/:documentId/open', handler: 'admin.openRound', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'POST', path: '/rounds/:documentId/close', handler: 'admin.closeRound', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'POST', path: '/rounds/:documentId/resend', handler: 'admin.resendRound', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'POST', path: '/suspicious/:id/review', handler: 'admin.review', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
  ],
};
