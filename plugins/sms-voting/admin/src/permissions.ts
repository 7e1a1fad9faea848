import { PLUGIN_ID } from './plugin-id';

export const PERMISSIONS = {
  manage: [{ action: `plugin::${PLUGIN_ID}.manage`, subject: null }],
};
