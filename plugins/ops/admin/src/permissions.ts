import { PLUGIN_ID } from './plugin-id';

export const PERMISSIONS = {
  jobs: [{ action: `plugin::${PLUGIN_ID}.jobs`, subject: null }],
  backups: [{ action: `plugin::${PLUGIN_ID}.backups`, subject: null }],
  // Strapi's own API-token permissions (Settings › API Tokens): reading them lists the budgets.
  tokens: [{ action: 'admin::api-tokens.read', subject: null }],
};
