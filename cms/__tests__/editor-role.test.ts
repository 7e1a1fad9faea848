/**
 * Strapi's Editor role, as Ovation provisions it at start: every editorial type, in every language,
 * with the fields an upgrade adds, and without undoing what an administrator took away.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_FIELDS, provisionEditorRole } from '../src/bootstrap/editor-role';
import { PUBLIC_CONTENT } from '../src/lib/public-content';
import { bootStrapi } from '../test/strapi';
import { ROLES } from '../test/admin';

type Permission = { id: number; action: string; subject: string; properties: { fields?: string[]; locales?: string[] | null } };
const UPDATE = 'plugin::content-manager.explorer.update';

describe('the Editor role', () => {
  let strapi: Core.Strapi;
  let roleId: number;

  beforeAll(async () => {
    strapi = await bootStrapi();
    roleId = (await strapi.service('admin::role').findOne({ code: ROLES.editor })).id;
  });

  const permissions = async (subject: string) =>
    (await strapi.db.query('admin::permission').findMany({ where: { role: roleId, subject } })) as Permission[];
  const roundUpdate = async () => (await permissions('api::round.round')).find((p) => p.action === UPDATE) as Permission;
  const setFields = (permission: Permission, fields: string[]) =>
    strapi.db.query('admin::permission').update({ where: { id: permission.id }, data: { properties: { ...permission.properties, fields } } });

  it('may create, read, update, delete and publish every editorial type, in every locale', async () => {
    for (const subject of PUBLIC_CONTENT) {
      const held = await permissions(subject);
      const actions = held.map((p) => p.action.replace('plugin::content-manager.explorer.', '')).sort();
      expect(actions, subject).toEqual(['create', 'delete', 'publish', 'read', 'update']);
      for (const permission of held) expect(permission.properties.locales, `${permission.action} ${subject}`).toBeNull();
    }
    expect((await permissions('api::event.event')).find((p) => p.action === UPDATE)?.properties.fields).toEqual(
      expect.arrayContaining(['title', 'starts_at', 'timezone', 'rounds', 'lineup'])
    );
  });

  it('is given a field an upgrade adds, and keeps a field an administrator removed away', async () => {
    const before = await roundUpdate();
    const all = before.properties.fields as string[];
    const store = strapi.store(KNOWN_FIELDS);
    const known = (await store.get({})) as Record<string, string[]>;
    try {
      // As an older release left it: no Spanish title yet, in the role or among the fields it knew.
      await setFields(before, all.filter((field) => field !== 'title_es'));
      await store.set({ value: { ...known, 'api::round.round': all.filter((field) => field !== 'title_es') } });
      await provisionEditorRole(strapi);
      expect((await roundUpdate()).properties.fields).toContain('title_es');

      // An administrator takes the English title away from editors: it stays away.
      await setFields(await roundUpdate(), all.filter((field) => field !== 'title'));
      await provisionEditorRole(strapi);
      expect((await roundUpdate()).properties.fields).not.toContain('title');
      expect((await roundUpdate()).properties.fields).toContain('title_es');
    } finally {
      await setFields(await roundUpdate(), all);
      await store.set({ value: known });
    }
  });
});
