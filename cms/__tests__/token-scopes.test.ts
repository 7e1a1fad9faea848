/**
 * A custom API token reads exactly the content types it was granted, over REST and GraphQL: each
 * type's find and findOne check that type's own permission, never another type's.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_CONTENT } from '../src/lib/public-content';
import { apiToken, bootStrapi, http } from '../test/strapi';

const REST: Record<(typeof PUBLIC_CONTENT)[number], string> = {
  'api::event.event': '/api/events',
  'api::round.round': '/api/rounds',
  'api::artist.artist': '/api/artists',
  'api::lineup-entry.lineup-entry': '/api/lineup-entries',
  'api::post.post': '/api/posts',
};

describe('custom API tokens', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it.each(PUBLIC_CONTENT.map((uid) => [uid]))('granted %s read it and nothing else over REST', async (granted) => {
    const token = await apiToken(strapi, 'custom', [`${granted}.find`, `${granted}.findOne`]);
    const client = await http();
    for (const [uid, path] of Object.entries(REST)) {
      const list = await client.get(path).set({ Authorization: `Bearer ${token}` });
      expect(list.status, `${granted} token on ${path}`).toBe(uid === granted ? 200 : 403);
      const one = await client.get(`${path}/no-such-document`).set({ Authorization: `Bearer ${token}` });
      expect(one.status, `${granted} token on ${path}/:id`).toBe(uid === granted ? 404 : 403);
    }
  });

  it('granted artists only cannot query events over GraphQL', async () => {
    const token = await apiToken(strapi, 'custom', ['api::artist.artist.find', 'api::artist.artist.findOne']);
    const client = await http();
    const artists = await client.post('/graphql').set({ Authorization: `Bearer ${token}` }).send({ query: '{ artists { slug } }' });
    expect(artists.body.errors).toBeUndefined();
    const events = await client.post('/graphql').set({ Authorization: `Bearer ${token}` }).send({ query: '{ events { slug } }' });
    expect(events.body.data?.events ?? null).toBeNull();
    expect(events.body.errors[0].message).toMatch(/Forbidden/);
  });
});
