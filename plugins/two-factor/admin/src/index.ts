import type { PluginDefinition } from '@strapi/strapi/admin';
import { installCodeStep } from './login/code-step';
import { installProfileLink } from './profile/profile-link';
import { PLUGIN_ID } from './plugin-id';

const admin: PluginDefinition = {
  register(app) {
    // Before the login page can be shown: the code step watches the login's answer (see login/code-step).
    installCodeStep();
    installProfileLink();
    app.addSettingsLink('global', {
      id: PLUGIN_ID,
      to: PLUGIN_ID,
      intlLabel: { id: `${PLUGIN_ID}.settings.link`, defaultMessage: 'Two-factor sign-in' },
      Component: () => import('./pages/TwoFactorPage'),
      permissions: [],
    });
    app.addSettingsLink('global', {
      id: `${PLUGIN_ID}-sessions`,
      to: 'account-sessions',
      intlLabel: { id: `${PLUGIN_ID}.settings.sessions`, defaultMessage: 'Sessions' },
      Component: () => import('./pages/SessionsPage'),
      permissions: [],
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Two-factor sign-in' });
  },
};

export default admin;
