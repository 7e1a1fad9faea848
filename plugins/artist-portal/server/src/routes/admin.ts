const ARTIST = 'api::artist.artist';
const may = (action: 'read' | 'update' | 'publish') => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [[`plugin::content-manager.explorer.${action}`, ARTIST]] } }];

/** Under `/artist-portal/…` for signed-in admins, by what they may do with artists in the Content Manager. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/artists/:documentId/invitation', handler: 'admin.invitation', config: { policies: may('read') } },
    { method: 'POST', path: '/artists/:documentId/invitations', handler: 'admin.invite', config: { policies: may('update') } },
    { method: 'GET', path: '/changes', handler: 'admin.pendingChanges', config: { policies: may('read') } },
    { method: 'POST', path: '/changes/:id/publish', handler: 'admin.publishChange', config: { policies: may('publish') } },
    { method: 'POST', path: '/changes/:id/reject', handler: 'admin.rejectChange', config: { policies: may('publish') } },
  ],
};
