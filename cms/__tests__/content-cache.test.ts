/**
 * Cached public reads: a second read is answered from Redis with the same body and ETag, 304 on
 * If-None-Match, per URL (locale) and caller (the public, each API token), and a publish is seen
 * within a second. (Redis stopped: reads still answer from the database, workers/src/__tests__/faults.test.ts.)
 */
import Redis from 'ioredis';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentCache } from '../src/lib/content-cache';
import { apiToken, bootStrapi, http } from '../test/strapi';

describe('cached public reads', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => (await http()).get(url).set(headers);

  it('answers a repeated read from the cache with the same body and ETag, and 304 when the client has it', async () => {
    const url = `/api/artists?pagination[pageSize]=5&sort=name&cacheTest=${Date.now()}`;
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const second = await get(url);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.headers.etag).toBe(etag);
    expect(second.body).toEqual(first.body);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    const notModified = await get(url, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.text ?? '').toBe('');
    // Another locale is another read.
    expect((await get(`${url}&locale=es`)).headers['x-cache']).toBe('miss');
  });

  it('answers requests that miss together with one read of the database', async () => {
    const url = `/api/events?populate[rounds]=true&cacheTogether=${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(url)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((answer) => answer.headers['x-cache'] === 'miss')).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.headers.etag)).size).toBe(1);
  });

  it('keeps each caller to its own view: an API token has entries of its own, a bad token is refused whatever is cached', async () => {
    const url = `/api/events?cacheScope=${Date.now()}`;
    await get(url);
    expect((await get(url)).headers['x-cache']).toBe('hit');
    const token = await apiToken(strapi, 'read-only');
    const asToken = await get(url, { Authorization: `Bearer ${token}` });
    expect(asToken.status).toBe(200);
    expect(asToken.headers['x-cache']).toBe('miss');
    expect((await get(url, { Authorization: `Bearer ${token}` })).headers['x-cache']).toBe('hit');
    const forged = await get(url, { Authorization: `Bearer ${'0'.repeat(256)}` });
    expect(forged.status).toBe(401);

    // A token revoked after its read was cached is refused at once, not answered from the cache.
    const revoked = await strapi.service('admin::api-token').create({ name: `cache-revoked-${Date.now().toString(36)}`, type: 'read-only', lifespan: null });
    const auth = { Authorization: `Bearer ${revoked.accessKey}` };
    await get(url, auth);
    expect((await get(url, auth)).headers['x-cache']).toBe('hit');
    await strapi.service('admin::api-token').revoke(revoked.id);
    expect((await get(url, auth)).status).toBe(401);
  });

  it('shows a published change within a second, from any origin', async () => {
    const slug = `cache-artist-${Date.now().toString(36)}`;
    const artist = await strapi.documents('api::artist.artist').create({ locale: 'en', status: 'published', data: { name: 'Before', slug } as never });
    const url = `/api/artists?filters[slug][$eq]=${slug}`;
    expect((await get(url)).body.data[0].name).toBe('Before');
    expect((await get(url)).headers['x-cache']).toBe('hit');

    await strapi.documents('api::artist.artist').update({ documentId: artist.documentId, locale: 'en', status: 'published', data: { name: 'After' } as never });
    const changed = Date.now();
    let name = '';
    while (Date.now() - changed < 1_000) {
      name = (await get(url)).body.data[0]?.name;
      if (name === 'After') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(name).toBe('After');

    await strapi.documents('api::artist.artist').unpublish({ documentId: artist.documentId, locale: 'en' });
    const unpublished = await get(url);
    expect(unpublished.body.data).toEqual([]);
  });

  it('does not cache signed-in users or writes', async () => {
    const url = `/api/posts?cacheWrites=${Date.now()}`;
    const anonymous = await get(url);
    expect(anonymous.headers['x-cache']).toBe('miss');
    const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: 999_999 });
    const signedIn = await get(url, { Authorization: `Bearer ${jwt}` });
    expect(signedIn.headers['x-cache']).toBeUndefined();
  });
});

describe('the content cache under a publish', () => {
  const redis = new Redis(process.env.REDIS_URL as string);
  afterAll(() => redis.disconnect());

  it('keeps a read that a publish overtook under the version it was read at, where no later read finds it', async () => {
    await redis.ping();
    const cache = createContentCache(() => redis, `${process.env.REDIS_PREFIX}:overtaken${Date.now()}`, { ttlSeconds: 30, versionMs: 250 });
    const read = { etag: '"before"', type: 'application/json; charset=utf-8', body: '{"data":[{"name":"Before"}]}' };
    // A read misses and goes to the database; a publish commits meanwhile; the read's answer comes back.
    const missed = await cache.lookup('public', '/api/artists');
    expect(missed.read).toBeNull();
    await cache.invalidate();
    await missed.store(read);
    expect((await cache.lookup('public', '/api/artists')).read).toBeNull();
    // A read that nothing overtook is answered from the cache, from this process's copy or Redis's.
    const fresh = await cache.lookup('public', '/api/artists');
    await fresh.store({ ...read, etag: '"after"' });
    expect((await cache.lookup('public', '/api/artists')).read?.etag).toBe('"after"');
  });

  it("answers a crowd on one URL from the process's own copy: one Redis read a second", async () => {
    const prefix = `${process.env.REDIS_PREFIX}:crowd${Date.now()}`;
    const writer = createContentCache(() => redis, prefix, { ttlSeconds: 30, versionMs: 250 });
    await (await writer.lookup('public', '/api/events')).store({ etag: '"e"', type: 'application/json; charset=utf-8', body: '{"data":[]}' });
    let gets = 0;
    const counted = new Proxy(redis, {
      get: (target, name) => (name === 'get' ? (...args: Parameters<Redis['get']>) => ((gets += 1), target.get(...args)) : Reflect.get(target, name)),
    });
    // Another process: it reads the version once, the entry once, then holds it for a second.
    const reader = createContentCache(() => counted, prefix, { ttlSeconds: 30, versionMs: 250 });
    for (let i = 0; i < 50; i += 1) expect((await reader.lookup('public', '/api/events')).read?.etag).toBe('"e"');
    expect(gets).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await reader.lookup('public', '/api/events');
    expect(gets).toBe(4);
  });
});
