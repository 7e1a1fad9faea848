import { PLUGIN_ID } from './plugin-id';

export const PERMISSIONS = {
  jobs: [{ action: `plugin::${PLUGIN_ID}.jobs`, subject: null }],
  backups: [{ action: `plugin::${PLUGIN_ID}.backups`, subject: null }],
};
