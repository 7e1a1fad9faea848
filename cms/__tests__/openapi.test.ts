/**
 * The published API contract: the cms serves its OpenAPI 3.1 document at /api/openapi.json, the
 * same as the checked-in docs/openapi.json (`npm run openapi`), valid by an independent validator,
 * and the webhook bodies the cms really sends match the document's `webhooks` section.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../workers/src/webhooks/event-types';
import { webhookHarness, type WebhookHarness } from '../../plugins/webhooks/server/src/__tests__/harness';
import { http } from '../test/strapi';

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { description?: string; content?: Record<string, { schema: object }> }> }>>;
  webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: object } } } } }>;
  components: { schemas: Record<string, object> };
};

const CHECKED_IN = path.resolve(__dirname, '../../docs/openapi.json');

describe('the OpenAPI document', () => {
  let h: WebhookHarness;
  let served: Document;
  let etag: string;

  beforeAll(async () => {
    h = await webhookHarness();
    const res = await (await http()).get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    served = JSON.parse(res.text);
    etag = res.headers.etag;
  });
  afterAll(async () => {
    await h?.restore();
  });

  it('is served publicly, the same as docs/openapi.json (else run `npm run openapi` and commit it)', async () => {
    expect(served).toEqual(JSON.parse(fs.readFileSync(CHECKED_IN, 'utf8')));
    await (await http()).get('/api/openapi.json').set('If-None-Match', etag).expect(304);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(served.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(served as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('describes the content, voting and partner routes with their parameters and answers, and nothing personal', () => {
    for (const route of ['/events', '/events/{id}', '/artists', '/posts', '/rounds', '/lineup-entries', '/sms-voting/votes', '/sms-voting/events/{slug}/leaderboard', '/partner/v1/events/{slug}/stats']) {
      expect(served.paths[route], route).toBeDefined();
    }
    const stats = served.paths['/partner/v1/events/{slug}/stats'].get;
    expect(stats.parameters).toContainEqual(expect.objectContaining({ name: 'slug', in: 'path' }));
    expect(JSON.stringify(stats.responses['200'].content)).toContain('votesPerMinute');
    expect(served.paths['/sms-voting/votes'].post.responses['201']).toBeDefined();
    expect(JSON.stringify(served.paths['/sms-voting/events/{slug}/leaderboard'].get.responses['200'].content)).toContain('totalVotes');
    // The artist area's routes, with what they take and answer.
    expect(JSON.stringify(served.paths['/artist-portal/claims/{token}'].post)).toContain('"username"');
    expect(JSON.stringify(served.paths['/artist-portal/me/profile'].put)).toContain('"links"');
    expect(JSON.stringify(served.paths['/artist-portal/me/dashboard'].get.responses['200'].content)).toContain('votesOverTime');
    // Marketing email's sign-up and its links, with what they take and answer.
    expect(JSON.stringify(served.paths['/crm/email/subscriptions'].post)).toContain('"vote-page"');
    expect(served.paths['/crm/email/subscriptions'].post.responses['202']).toBeDefined();
    expect(JSON.stringify(served.paths['/crm/email/unsubscribe/{token}'].post)).toContain('List-Unsubscribe');
    // Fans, their consent and their votes have no content-API route at all; nor do Strapi's internal ones.
    for (const route of Object.keys(served.paths)) {
      expect(route).not.toMatch(/fan|consent|attendance|content-type-builder|^\/email|users-permissions/);
    }
  });

  it('describes what the content API answers: lists with their pagination, single entries, unset fields, 201 for a create and 204 for a delete', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ components: served.components }, 'document');
    const validatorOf = (route: string) => {
      const schema = served.paths[route].get.responses['200'].content!['application/json'].schema;
      return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"document#/components')));
    };
    // A published event with nothing optional filled in, a round, an artist in its lineup and a post.
    const suffix = crypto.randomBytes(4).toString('hex');
    const event = await h.strapi.documents('api::event.event').create({
      locale: 'en',
      status: 'published',
      data: { title: `Answers event ${suffix}`, slug: `answers-event-${suffix}`, keyword: `A${suffix}`.toUpperCase(), starts_at: new Date(), timezone: 'UTC' } as never,
    });
    const artist = await h.strapi.documents('api::artist.artist').create({
      locale: 'en',
      status: 'published',
      data: { name: `Answers artist ${suffix}`, slug: `answers-artist-${suffix}`, links: [{ platform: 'website', url: 'https://example.com/' }] } as never,
    });
    await h.strapi.documents('api::round.round').create({ data: { event: event.documentId, number: 1, state: 'pending' } as never });
    await h.strapi.documents('api::lineup-entry.lineup-entry').create({ data: { event: event.documentId, artist: artist.documentId, vote_code: `Z${suffix}`.toUpperCase() } as never });
    await h.strapi.documents('api::post.post').create({ locale: 'en', status: 'published', data: { title: `Answers post ${suffix}`, slug: `answers-post-${suffix}` } as never });

    const reads: [string, string][] = [
      ['/events', `/api/events?filters[slug]=answers-event-${suffix}`],
      ['/events/{id}', `/api/events/${event.documentId}`],
      ['/artists', `/api/artists?filters[slug]=answers-artist-${suffix}&populate=*`],
      ['/artists', '/api/artists?pagination[start]=0&pagination[limit]=5'],
      ['/events', `/api/events?filters[slug]=answers-event-${suffix}&populate[rounds]=true&populate[lineup][populate][artist]=true`],
      ['/posts', '/api/posts'],
      ['/rounds', '/api/rounds'],
      ['/lineup-entries', '/api/lineup-entries'],
    ];
    for (const [route, url] of reads) {
      const res = await (await http()).get(url).expect(200);
      const validate = validatorOf(route);
      expect(validate(res.body), `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // The pagination a partner pages with is part of the contract, not just tolerated.
    const list = served.paths['/events'].get.responses['200'].content!['application/json'].schema as { required?: string[] };
    expect(list.required).toContain('meta');

    // A token that may write: a create answers 201 as described, a delete 204 with no body.
    const writer = await h.strapi.service('admin::api-token').create({ name: `openapi-writer-${suffix}`, type: 'full-access', lifespan: null });
    const auth = { Authorization: `Bearer ${writer.accessKey}` };
    const created = await (await http()).post('/api/posts').set(auth).send({ data: { title: `Written post ${suffix}`, slug: `written-post-${suffix}` } });
    expect(created.status).toBe(201);
    expect(Object.keys(served.paths['/posts'].post.responses)).toContain('201');
    const validate = ajv.compile(JSON.parse(JSON.stringify(served.paths['/posts'].post.responses['201'].content!['application/json'].schema).replaceAll('"#/components', '"document#/components')));
    expect(validate(created.body), JSON.stringify(validate.errors)).toBe(true);
    const deleted = await (await http()).delete(`/api/posts/${created.body.data.documentId}`).set(auth);
    expect(deleted.status).toBe(204);
    expect(served.paths['/posts/{id}'].delete.responses['204']).toEqual({ description: 'Deleted' });
  });

  it('describes every webhook event, and what the cms sends matches it', async () => {
    expect(Object.keys(served.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ components: served.components }, 'document');
    const validators = Object.fromEntries(
      Object.entries(served.webhooks).map(([type, { post }]) => {
        const schema = JSON.parse(JSON.stringify(post.requestBody.content['application/json'].schema).replaceAll('"#/components', '"document#/components'));
        return [type, ajv.compile(schema)];
      })
    );

    // Every kind of change, for real: publish, re-publish and unpublish an event, a round opened and
    // closed (its results public after close), an artist and a post published, a test event.
    const subscription = await h.subscribe([...WEBHOOK_EVENT_TYPES]);
    const suffix = crypto.randomBytes(4).toString('hex');
    const events = h.strapi.documents('api::event.event');
    const event = await events.create({
      locale: 'en',
      data: { title: `Contract event ${suffix}`, slug: `contract-event-${suffix}`, keyword: `C${suffix}`.toUpperCase(), starts_at: new Date(), timezone: 'UTC', phase: 'scheduled', results_visibility: 'after_close' } as never,
    });
    await events.publish({ documentId: event.documentId, locale: 'en' });
    await events.publish({ documentId: event.documentId, locale: 'en' });
    const round = await h.strapi.documents('api::round.round').create({ data: { event: event.documentId, number: 1, state: 'pending' } as never });
    const rounds = h.strapi.plugin('sms-voting').service('rounds');
    await rounds.open(round.documentId, { notify: false });
    await rounds.close(round.documentId);
    await events.unpublish({ documentId: event.documentId, locale: 'en' });
    const artist = await h.strapi.documents('api::artist.artist').create({ locale: 'en', status: 'published', data: { name: `Contract artist ${suffix}`, slug: `contract-artist-${suffix}` } as never });
    const post = await h.strapi.documents('api::post.post').create({ locale: 'en', status: 'published', data: { title: `Contract post ${suffix}`, slug: `contract-post-${suffix}` } as never });
    expect((await h.api.post(`/subscriptions/${subscription.id}/test`)).status).toBe(202);
    await h.fanOut(event.documentId, artist.documentId, post.documentId);

    const bodies = (await h.deliveries(subscription.id)).map((row: { body: string }) => JSON.parse(row.body) as { type: string });
    expect(new Set(bodies.map((body) => body.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    for (const body of bodies) {
      const validate = validators[body.type];
      expect(validate(body), `${body.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // And the schemas are not so loose that anything passes.
    expect(validators['round.opened']({ type: 'round.opened', timestamp: new Date().toISOString(), data: { documentId: 'x', number: 1 } })).toBe(false);
  });
});
