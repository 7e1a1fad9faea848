export const PLUGIN_ID = 'webhooks';
