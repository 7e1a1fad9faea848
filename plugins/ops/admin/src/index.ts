import type { PluginDefinition } from '@strapi/strapi/admin';
import { Clock, Database } from '@strapi/icons';
import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './plugin-id';
import { prefixPluginTranslations } from './utils/prefixPluginTranslations';

const admin: PluginDefinition = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Clock,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Jobs' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.jobs,
    });
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}-backups`,
      icon: Database,
      intlLabel: { id: `${PLUGIN_ID}.backups.name`, defaultMessage: 'Backups' },
      Component: () => import('./pages/BackupsApp'),
      permissions: PERMISSIONS.backups,
    });
    // Beside Strapi's own API Tokens page: what each token may spend and has spent, and rotation.
    app.addSettingsLink('global', {
      id: `${PLUGIN_ID}-tokens`,
      to: `${PLUGIN_ID}-tokens`,
      intlLabel: { id: `${PLUGIN_ID}.tokens.name`, defaultMessage: 'API token budgets' },
      Component: () => import('./pages/TokensApp'),
      permissions: PERMISSIONS.tokens,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Operations' });
  },

  async registerTrads({ locales }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: messages } = await import(`./translations/${locale}.json`);
          return { data: prefixPluginTranslations(messages, PLUGIN_ID), locale };
        } catch {
          // A locale this plugin has no messages for falls back to the English defaults in the code.
          return { data: {}, locale };
        }
      })
    );
  },
};

export default admin;
