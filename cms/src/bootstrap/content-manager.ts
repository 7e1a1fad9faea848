import { isDeepStrictEqual } from 'util';
import type { Core } from '@strapi/strapi';
import { CONTENT_MANAGER_VIEWS, type TypeView } from './content-manager-views';

/** A type's view as the Content Manager stores it (its `content-types` service). */
type Configuration = { settings: Record<string, unknown>; metadatas: Record<string, unknown>; layouts: Record<string, unknown> };
type ContentTypes = {
  findContentType(uid: string): { uid: string; attributes: Record<string, unknown> } | undefined;
  findConfiguration(contentType: { uid: string }): Promise<Configuration>;
  updateConfiguration(contentType: { uid: string }, configuration: Configuration): Promise<unknown>;
};

/** What was applied last time, per type and setting path: a setting that differs now was changed by an editor. */
const APPLIED = { type: 'app', name: 'ovation', key: 'content-manager-views' } as const;
type Applied = Record<string, Record<string, unknown>>;

/** Every setting Ovation owns in a type's view, by its path in the configuration. */
function settingsOf(view: TypeView): Record<string, unknown> {
  const owned: Record<string, unknown> = { 'settings.mainField': view.mainField, 'layouts.list': view.columns };
  if (view.sort) Object.assign(owned, { 'settings.defaultSortBy': view.sort.by, 'settings.defaultSortOrder': view.sort.order });
  if (view.form) owned['layouts.edit'] = view.form;
  for (const [name, field] of Object.entries(view.fields)) {
    owned[`metadatas.${name}.edit.label`] = field.label;
    owned[`metadatas.${name}.list.label`] = field.label;
    owned[`metadatas.${name}.edit.description`] = field.hint ?? '';
    if (field.mainField) owned[`metadatas.${name}.edit.mainField`] = field.mainField;
    if (field.editable !== undefined) owned[`metadatas.${name}.edit.editable`] = field.editable;
  }
  return owned;
}

const read = (from: Record<string, unknown>, path: string) =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], from);

function write(into: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = into;
  for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
  node[last] = value;
}

/** A view naming a field its type lacks is a mistake in the views, not something to store. */
function checkFields(uid: string, view: TypeView, attributes: Record<string, unknown>) {
  const named = [...Object.keys(view.fields), ...view.columns, view.mainField, view.sort?.by ?? 'id', ...(view.form ?? []).flat().map(({ name }) => name)];
  const missing = named.filter((name) => !(name in attributes));
  if (missing.length > 0) throw new Error(`The Content Manager view of ${uid} names fields it does not have: ${missing.join(', ')}`);
}

/**
 * Applies Ovation's Content Manager views at every start. Idempotent, and an editor's own change
 * wins: a setting is written only where it still holds what Ovation applied last time (or on the
 * first start), so a label or a column an editor changed in "Configure the view" stays theirs,
 * while settings nobody touched follow Ovation's views as they change.
 */
export async function configureContentManager(strapi: Core.Strapi) {
  const contentTypes: ContentTypes = strapi.plugin('content-manager').service('content-types');
  const store = strapi.store(APPLIED);
  const applied = ((await store.get({})) ?? {}) as Applied;

  for (const [uid, view] of Object.entries(CONTENT_MANAGER_VIEWS)) {
    const contentType = contentTypes.findContentType(uid);
    if (!contentType) throw new Error(`The Content Manager has no type ${uid}`);
    checkFields(uid, view, contentType.attributes);

    const configuration = await contentTypes.findConfiguration(contentType);
    const before = applied[uid] ?? {};
    const ours = settingsOf(view);
    let changed = false;
    for (const [path, value] of Object.entries(ours)) {
      const current = read(configuration, path);
      const changedByEditor = path in before && !isDeepStrictEqual(current, before[path]);
      if (changedByEditor || isDeepStrictEqual(current, value)) continue;
      write(configuration, path, value);
      changed = true;
    }
    if (changed) {
      const { settings, metadatas, layouts } = configuration;
      await contentTypes.updateConfiguration(contentType, { settings, metadatas, layouts });
    }
    applied[uid] = ours;
  }
  await store.set({ value: applied });
}
