export const PLUGIN_ID = 'artist-portal';
