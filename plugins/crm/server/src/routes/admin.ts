const can = (action: 'read' | 'manage' | 'reveal-contact' | 'export') => ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`plugin::crm.${action}`] } }];
const read = can('read');
const manage = can('manage');
const reveal = can('reveal-contact');
const exporting = can('export');

/** The CRM's admin API: signed-in admins with the CRM permissions (the Marketing role has both). */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/segments', handler: 'segments.list', config: { policies: read } },
    { method: 'POST', path: '/segments', handler: 'segments.create', config: { policies: manage } },
    { method: 'POST', path: '/segments/count', handler: 'segments.count', config: { policies: read } },
    { method: 'POST', path: '/segments/sample', handler: 'segments.sample', config: { policies: read } },
    { method: 'GET', path: '/segments/:id', handler: 'segments.find', config: { policies: read } },
    { method: 'PUT', path: '/segments/:id', handler: 'segments.update', config: { policies: manage } },
    { method: 'DELETE', path: '/segments/:id', handler: 'segments.remove', config: { policies: manage } },
    { method: 'GET', path: '/campaigns', handler: 'campaigns.list', config: { policies: read } },
    { method: 'POST', path: '/campaigns', handler: 'campaigns.create', config: { policies: manage } },
    { method: 'GET', path: '/campaigns/:id', handler: 'campaigns.find', config: { policies: read } },
    { method: 'GET', path: '/campaigns/:id/stats', handler: 'tracking.stats', config: { policies: read } },
    { method: 'PUT', path: '/campaigns/:id', handler: 'campaigns.update', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/send', handler: 'campaigns.send', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/approve', handler: 'campaigns.approve', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/pause', handler: 'campaigns.pause', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/resume', handler: 'campaigns.resume', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/test', handler: 'campaigns.test', config: { policies: manage } },
    { method: 'POST', path: '/campaigns/:id/cancel', handler: 'campaigns.cancel', config: { policies: manage } },
    // Privacy: the fan page, one fan's export and erasure, bulk exports (README, "Privacy").
    { method: 'GET', path: '/fans', handler: 'privacy.search', config: { policies: read } },
    { method: 'GET', path: '/fans/:id', handler: 'privacy.profile', config: { policies: read } },
    { method: 'POST', path: '/fans/:id/reveal', handler: 'privacy.reveal', config: { policies: reveal } },
    { method: 'PUT', path: '/fans/:id/tags', handler: 'privacy.setTags', config: { policies: manage } },
    { method: 'GET', path: '/fans/:id/export', handler: 'privacy.exportFan', config: { policies: exporting } },
    { method: 'POST', path: '/fans/:id/erase', handler: 'privacy.erase', config: { policies: manage } },
    { method: 'GET', path: '/exports/:kind', handler: 'privacy.exportRows', config: { policies: exporting } },
  ],
};
