/** Prefixes every key with the plugin id, as the admin expects plugin messages to be. */
export const prefixPluginTranslations = (messages: Record<string, string>, pluginId: string) =>
  Object.fromEntries(Object.entries(messages).map(([key, message]) => [`${pluginId}.${key}`, message]));
