import type { PluginDefinition } from '@strapi/strapi/admin';
import { User } from '@strapi/icons';
import { InvitationPanel } from './components/InvitationPanel';
import { PLUGIN_ID } from './plugin-id';

const ARTIST = 'api::artist.artist';

const admin: PluginDefinition = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: User,
      intlLabel: { id: `${PLUGIN_ID}.changes.link`, defaultMessage: 'Artist changes' },
      Component: () => import('./pages/PendingChangesPage'),
      permissions: [{ action: 'plugin::content-manager.explorer.read', subject: ARTIST }],
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Artist portal' });
  },

  bootstrap(app) {
    // Strapi 5's way into the Content Manager's edit view: a side panel next to Publish (the v4
    // injection zones are gone from the edit view), shown on artists only.
    const contentManager = app.getPlugin('content-manager') as unknown as { apis: { addEditViewSidePanel(panels: unknown[]): void } };
    contentManager.apis.addEditViewSidePanel([InvitationPanel]);
  },
};

export default admin;
