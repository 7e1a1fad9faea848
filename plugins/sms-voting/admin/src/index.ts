import { PLUGIN_ID } from './plugin-id';

export default {
  register(app: {
    addMenuLink(link: unknown): void;
    registerPlugin(plugin: unknown): void;
  }) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: () => null,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Live voting' },
      Component: () => import('./pages/App'),
      permissions: [{ action: `plugin::${PLUGIN_ID}.manage`, subject: null }],
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'SMS voting' });
  },
};
