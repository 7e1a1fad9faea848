import type { PluginDefinition } from '@strapi/strapi/admin';
import { PaperPlane, User } from '@strapi/icons';
import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './plugin-id';
import { prefixPluginTranslations } from './utils/prefixPluginTranslations';

const admin: PluginDefinition = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PaperPlane,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Marketing' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.read,
    });
    // The fan page (search, consent and history, reveal, export, erase): a page of its own in the menu.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/fans`,
      icon: User,
      intlLabel: { id: `${PLUGIN_ID}.fans.title`, defaultMessage: 'Fans' },
      Component: () => import('./pages/FansApp'),
      permissions: PERMISSIONS.read,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'CRM' });
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
