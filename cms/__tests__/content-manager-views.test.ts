/**
 * The Content Manager views applied at start (src/bootstrap/content-manager.ts) and the message
 * state migration, against the real app and database.
 */
import { createRequire } from 'module';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureContentManager } from '../src/bootstrap/content-manager';
import { adminToken, createAdminUser } from '../test/admin';
import { CMS_DIR } from '../test/environment';
import { bootStrapi, http } from '../test/strapi';

const EVENT = 'api::event.event';
const configurationPath = `/content-manager/content-types/${EVENT}/configuration`;

describe('the Content Manager views', () => {
  let strapi: Core.Strapi;
  let auth: { Authorization: string };

  beforeAll(async () => {
    strapi = await bootStrapi();
    auth = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
  });

  const configuration = async () => (await (await http()).get(configurationPath).set(auth).expect(200)).body.data.contentType;
  const label = async (field: string) => (await configuration()).metadatas[field].edit.label;

  /** What an editor does in "Configure the view": the whole configuration, saved through the admin's API. */
  async function editorSetsLabel(field: string, text: string) {
    const { settings, metadatas, layouts } = await configuration();
    metadatas[field].edit.label = text;
    // The admin sends back the list metadatas without the relation names the API adds to them.
    for (const metadata of Object.values(metadatas) as { list: Record<string, unknown> }[]) delete metadata.list.mainField;
    await (await http()).put(configurationPath).set(auth).send({ settings, metadatas, layouts }).expect(200);
  }

  it('keeps an editor’s own label across starts, and Ovation’s everywhere else', async () => {
    await editorSetsLabel('venue', 'Place');
    await configureContentManager(strapi);
    expect(await label('venue')).toBe('Place');
    expect(await label('starts_at')).toBe('Starts at');
    expect((await configuration()).layouts.list).toEqual(['title', 'phase', 'keyword', 'starts_at', 'city']);

    // Back to Ovation's own wording: from then on the label follows Ovation's views again.
    await editorSetsLabel('venue', 'Venue');
  });

  it('brings a setting nobody changed up to date with Ovation’s views', async () => {
    // As if an older release had applied "Town", and nobody had changed it since.
    const store = strapi.store({ type: 'app', name: 'ovation', key: 'content-manager-views' });
    const applied = (await store.get({})) as Record<string, Record<string, unknown>>;
    await store.set({ value: { ...applied, [EVENT]: { ...applied[EVENT], 'metadatas.city.edit.label': 'Town' } } });
    await editorSetsLabel('city', 'Town');

    await configureContentManager(strapi);
    expect(await label('city')).toBe('City');
  });

  it('changes nothing when run again', async () => {
    const before = await configuration();
    await configureContentManager(strapi);
    expect(await configuration()).toEqual(before);
  });
});

describe('the message state migration', () => {
  const migration = createRequire(__filename)(path.join(CMS_DIR, 'database', 'migrations', '2026.12.02T04.30.00.message-state.js')) as {
    up(knex: unknown): Promise<void>;
  };

  it('renames an existing status column to state and keeps every message’s value', async () => {
    const strapi = await bootStrapi();
    const key = `migration-${Date.now().toString(36)}`;
    // Inside a transaction that is rolled back: the run's own table is left as it was.
    const rollback = new Error('rollback');
    await strapi.db.connection
      .transaction(async (trx) => {
        await trx.schema.alterTable('messages', (table) => table.renameColumn('state', 'status'));
        await trx('messages').insert({ document_id: key, idempotency_key: key, channel: 'sms', recipient_masked: '+1***00', recipient_hash: key, body: 'x', status: 'sent' });

        await migration.up(trx);
        expect(await trx.schema.hasColumn('messages', 'status')).toBe(false);
        expect(await trx('messages').where({ idempotency_key: key }).first('state')).toEqual({ state: 'sent' });

        // Run again (or on a database that has `state` already): nothing to do.
        await migration.up(trx);
        expect(await trx('messages').where({ idempotency_key: key }).first('state')).toEqual({ state: 'sent' });
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    expect(await strapi.db.connection.schema.hasColumn('messages', 'state')).toBe(true);
  });
});
