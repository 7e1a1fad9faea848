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
    // The event wizard (README "Event wizard").
    { method: 'POST', path: '/wizard/events', handler: 'wizard.create', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'GET', path: '/wizard/events/:documentId', handler: 'wizard.event', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'PUT', path: '/wizard/events/:documentId', handler: 'wizard.update', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'POST', path: '/wizard/validate', handler: 'wizard.validate', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'GET', path: '/wizard/keyword', handler: 'wizard.keyword', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'GET', path: '/wizard/drafts', handler: 'wizard.drafts', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
    { method: 'GET', path: '/wizard/artists', handler: 'wizard.artists', config: { policies: ['admin::isAuthenticatedAdmin', ...canManage] } },
  ],
};
