import type { Core } from '@strapi/strapi';

type Metadata = { edit?: { label?: string; description?: string }; list?: { label?: string } };

/** Labels and hints for fields whose attribute name alone would not tell an editor what they are for. */
const LABELS: Record<string, Record<string, { label: string; description: string }>> = {
  'api::round.round': {
    title_es: {
      label: 'Title in Spanish',
      description: 'Shown on Spanish pages and to Spanish partners. Leave empty to show the English title there.',
    },
  },
};

/**
 * Gives those fields their label in the Content Manager. Strapi labels a field with its attribute
 * name until someone edits the view, so only a label still equal to the name is replaced: whatever an
 * administrator wrote in "Configure the view" is kept.
 */
export async function labelEditorFields(strapi: Core.Strapi) {
  const contentTypes = strapi.plugin('content-manager').service('content-types');
  for (const [uid, fields] of Object.entries(LABELS)) {
    const contentType = strapi.contentType(uid as never);
    const { settings, metadatas, layouts } = (await contentTypes.findConfiguration(contentType)) as {
      settings: unknown;
      metadatas: Record<string, Metadata>;
      layouts: unknown;
    };
    let changed = false;
    for (const [field, { label, description }] of Object.entries(fields)) {
      const metadata = metadatas[field];
      if (!metadata?.edit || metadata.edit.label !== field) continue;
      metadata.edit = { ...metadata.edit, label, description };
      if (metadata.list?.label === field) metadata.list = { ...metadata.list, label };
      changed = true;
    }
    if (changed) await contentTypes.updateConfiguration(contentType, { settings, metadatas, layouts });
  }
}
