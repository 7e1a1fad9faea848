export const PLUGIN_ID = 'ops';
