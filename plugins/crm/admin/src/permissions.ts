import { PLUGIN_ID } from './plugin-id';

export const PERMISSIONS = {
  read: [{ action: `plugin::${PLUGIN_ID}.read`, subject: null }],
  manage: [{ action: `plugin::${PLUGIN_ID}.manage`, subject: null }],
  reveal: [{ action: `plugin::${PLUGIN_ID}.reveal-contact`, subject: null }],
  export: [{ action: `plugin::${PLUGIN_ID}.export`, subject: null }],
};
