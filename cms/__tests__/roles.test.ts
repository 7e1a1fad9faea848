/**
 * Ovation's roles, bootstrapped at every start with the least each needs: admin Viewer and Marketing
 * (beside Strapi's Super Admin and Editor), users-permissions Artist and Partner.
 */
import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { provisionRoles } from '../src/bootstrap/roles';
import { grantPublicPermissions } from '../src/bootstrap/permissions';
import { seedDemo } from '../src/seed';
import { adminToken, createAdminUser } from '../test/admin';
import { fromAddress } from '../test/clients';
import { bootStrapi, http } from '../test/strapi';

const RUN = Date.now().toString(36);
const list = (uid: string) => `/content-manager/collection-types/${uid}`;

describe('roles', () => {
  let strapi: Core.Strapi;
  const as = async (code: string) => ({ Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, code))}` });

  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);
  });

  it('are there once however often the app starts', async () => {
    const count = async () => ({
      admin: await strapi.db.query('admin::role').count({ where: { code: { $in: ['ovation-viewer', 'ovation-marketing'] } } }),
      adminPermissions: await strapi.db.query('admin::permission').count({ where: { role: { code: { $in: ['ovation-viewer', 'ovation-marketing'] } } } }),
      users: await strapi.db.query('plugin::users-permissions.role').count({ where: { type: { $in: ['artist', 'partner'] } } }),
      userPermissions: await strapi.db.query('plugin::users-permissions.permission').count({ where: { role: { type: { $in: ['artist', 'partner'] } } } }),
    });
    const before = await count();
    expect(before).toMatchObject({ admin: 2, users: 2 });
    await provisionRoles(strapi);
    await grantPublicPermissions(strapi);
    expect(await count()).toEqual(before);
  });

  it('Viewer reads the editorial content in the admin and can change nothing, nor see fans', async () => {
    const viewer = await as('ovation-viewer');
    const events = await (await http()).get(list('api::event.event')).set(viewer).expect(200);
    expect(events.body.results.length).toBeGreaterThan(0);
    await (await http()).post(list('api::event.event')).set(viewer).send({ title: `Nope ${RUN}`, slug: `nope-${RUN}`, timezone: 'UTC' }).expect(403);
    const [event] = events.body.results as { documentId: string }[];
    await (await http()).put(`${list('api::event.event')}/${event.documentId}`).set(viewer).send({ title: 'Changed' }).expect(403);
    await (await http()).get(list('api::fan.fan')).set(viewer).expect(403);
    await (await http()).get(list('api::message.message')).set(viewer).expect(403);
  });

  it('Marketing reads fans, consent records and the outbox as well, and changes nothing', async () => {
    const marketing = await as('ovation-marketing');
    await (await http()).get(list('api::fan.fan')).set(marketing).expect(200);
    await (await http()).get(list('api::consent-record.consent-record')).set(marketing).expect(200);
    await (await http()).get(list('api::message.message')).set(marketing).expect(200);
    await (await http()).get(list('api::post.post')).set(marketing).expect(200);
    await (await http()).post(list('api::post.post')).set(marketing).send({ title: `Nope ${RUN}` }).expect(403);
    await (await http()).get('/admin/users').set(marketing).expect(403);
  });

  it('Marketing builds segments and runs campaigns (plugins/crm); Viewer and Editor cannot', async () => {
    const rules = { field: 'language', op: 'in', value: ['en'] };
    await (await http()).post('/crm/segments/count').set(await as('ovation-marketing')).send({ rules }).expect(200);
    await (await http()).post('/crm/segments').set(await as('ovation-marketing')).send({ name: `Segment ${RUN}`, rules }).expect(201);
    await (await http()).post('/crm/segments/count').set(await as('ovation-viewer')).send({ rules }).expect(403);
    await (await http()).get('/crm/campaigns').set(await as('strapi-editor')).expect(403);
  });

  it('Artist and Partner accounts read what the public reads and manage their own account, nothing more', async () => {
    for (const type of ['artist', 'partner']) {
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
      const email = `${type}-${RUN}@ovation.test`;
      const password = `${type}-${crypto.randomBytes(8).toString('hex')}`;
      await strapi.plugin('users-permissions').service('user').add({ username: `${type}-${RUN}`, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
      const { jwt } = (await (await http()).post('/api/auth/local').set(fromAddress()).send({ identifier: email, password }).expect(200)).body as { jwt: string };
      const auth = { Authorization: `Bearer ${jwt}` };
      expect((await (await http()).get('/api/events').set(auth).expect(200)).body.data.length).toBeGreaterThan(0);
      expect((await (await http()).get('/api/users/me').set(auth).expect(200)).body.email).toBe(email);
      await (await http()).get('/api/auth/sessions').set(auth).expect(200);
      await (await http()).post('/api/events').set(auth).send({ data: { title: 'Nope' } }).expect(403);
      await (await http()).post('/api/upload').set(auth).attach('files', Buffer.from('x'), 'x.txt').expect(403);
    }
  });
});
