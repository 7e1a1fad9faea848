import { PLUGIN_ID } from './plugin-id';

export const PERMISSIONS = {
  read: [{ action: `plugin::${PLUGIN_ID}.read`, subject: null }],
  export: [{ action: `plugin::${PLUGIN_ID}.export`, subject: null }],
};
