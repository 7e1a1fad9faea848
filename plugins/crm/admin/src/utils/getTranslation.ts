import { PLUGIN_ID } from '../plugin-id';

/** The id of one of this plugin's messages, as registered by `registerTrads`. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;
