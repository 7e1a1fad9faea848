export const PLUGIN_ID = 'sms-voting';
