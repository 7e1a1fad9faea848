import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, fullAccessToken, http } from '../test/strapi';
import { seedDemo } from '../src/seed';

describe('what the public may read', () => {
  let strapi: Core.Strapi;

  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);
  });

  it('lists published events over REST, in English and in Spanish', async () => {
    const en = await (await http()).get('/api/events?sort=slug').expect(200);
    expect(en.body.data.map((e: { slug: string }) => e.slug)).toEqual(
      expect.arrayContaining(['autumn-finals', 'spring-sessions', 'summer-showcase'])
    );
    const es = await (await http()).get('/api/events?locale=es&filters[slug][$eq]=summer-showcase').expect(200);
    expect(es.body.data[0].title).toBe('Ovation en Vivo: Muestra de Verano');
  });

  it('reads the live event with its rounds and lineup, but no private columns', async () => {
    const res = await (await http())
      .get('/api/events?filters[keyword][$eq]=DEMO&populate[rounds]=true&populate[lineup][populate]=artist')
      .expect(200);
    const [event] = res.body.data;
    expect(event.phase).toBe('live');
    expect(event.rounds.find((r: { state: string }) => r.state === 'open')).toBeTruthy();
    expect(event.lineup.length).toBeGreaterThanOrEqual(3);
    expect(event.lineup[0].artist.name).toBeTruthy();
    expect(event.lineup[0]).not.toHaveProperty('event_ref');
  });

  it('does not show a draft event', async () => {
    await strapi.documents('api::event.event').create({
      locale: 'en',
      data: { title: 'Secret show', slug: 'secret-show', starts_at: new Date(), timezone: 'UTC' } as never,
    });
    const res = await (await http()).get('/api/events?filters[slug][$eq]=secret-show').expect(200);
    expect(res.body.data).toEqual([]);
  });

  it('serves the same content over GraphQL', async () => {
    const res = await (await http())
      .post('/graphql')
      .send({ query: '{ events(filters: { slug: { eq: "summer-showcase" } }) { title keyword lineup { vote_code artist { name } } } }' })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.events[0].keyword).toBe('DEMO');
    expect(res.body.data.events[0].lineup.length).toBeGreaterThanOrEqual(3);
  });

  it('has no route to fans, consent records or messages: 404 (every caller: personal-data.test.ts)', async () => {
    for (const path of ['/api/fans', '/api/consent-records', '/api/messages', '/api/fans/1']) {
      const res = await (await http()).get(path).expect(404);
      expect(res.body.error.name).toBe('NotFoundError');
    }
  });

  it('keeps fans, consent records and messages out of the GraphQL schema', async () => {
    const res = await (await http()).post('/graphql').send({ query: '{ fans { documentId } }' }).expect(400);
    expect(res.body.errors[0].message).toMatch(/Cannot query field "fans"/);
    for (const type of ['Fan', 'ConsentRecord', 'Message']) {
      const probe = await (await http()).post('/graphql').send({ query: `{ __type(name: "${type}") { name } }` });
      expect(probe.body.data?.__type ?? null).toBeNull();
    }
  });

  it('reports readiness of the database and Redis, and the job queue at a glance', async () => {
    const strapi = await bootStrapi();
    const before = (await (await http()).get('/_ready').expect(200)).body;
    expect(before).toMatchObject({ status: 'ready', database: { ok: true }, redis: { ok: true }, jobs: { queued: expect.any(Number), dead: expect.any(Number) } });
    const { id } = await strapi.plugin('ops').service('jobs').enqueue('round.notify', { roundRef: `ready-${Date.now()}` }, { key: `ready-test:${Date.now()}` });
    await strapi.db.connection('ops_jobs').where({ id }).update({ state: 'dead' });
    expect((await (await http()).get('/_ready').expect(200)).body.jobs.dead).toBe(before.jobs.dead + 1);
  });
});

describe('drafts', () => {
  it('are refused to the public over REST and GraphQL, even when asked for by status', async () => {
    await bootStrapi();
    const rest = await (await http()).get('/api/events?status=draft');
    expect(rest.status).toBe(403);
    expect(rest.body.error.message).toMatch(/Drafts are not public/);
    for (const path of ['/api/posts?status=draft', '/api/artists?status=draft']) {
      expect((await (await http()).get(path)).status).toBe(403);
    }
    const graphql = await (await http()).post('/graphql').send({ query: '{ events(status: DRAFT) { slug } }' });
    expect(graphql.body.data?.events ?? null).toBeNull();
    expect(graphql.body.errors[0].message).toMatch(/Drafts are not public|Forbidden|Policy/);
  });

  it('are readable with a full-access API token', async () => {
    const strapi = await bootStrapi();
    const token = await fullAccessToken(strapi);
    const res = await (await http()).get('/api/events?status=draft&filters[slug][$eq]=secret-show').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
  });
});
