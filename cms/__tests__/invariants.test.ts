import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { installConstraints } from '../src/lib/constraints';
import { bootStrapi, fullAccessToken, http } from '../test/strapi';

describe('invariants the API and the database hold', () => {
  let strapi: Core.Strapi;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  const createEvent = async (slug: string, keyword: string) =>
    (await http())
      .post('/api/events')
      .set(auth())
      .send({ data: { title: `Event ${slug}`, slug, keyword, starts_at: '2027-01-01T20:00:00Z', timezone: 'UTC' } });

  beforeAll(async () => {
    strapi = await bootStrapi();
    token = await fullAccessToken(strapi);
  });

  it('stores join keywords in one case and refuses a duplicate, whatever its case, naming the field', async () => {
    const first = await createEvent('keyword-one', ' rock ');
    expect(first.status).toBe(201);
    expect(first.body.data.keyword).toBe('ROCK');

    const duplicate = await createEvent('keyword-two', 'Rock');
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.name).toBe('ValidationError');
    expect(duplicate.body.error.details.errors[0].path).toEqual(['keyword']);
    expect(await strapi.db.query('api::event.event').count({ where: { slug: 'keyword-two' } })).toBe(0);
  });

  it('refuses a duplicate keyword in another locale too (the database holds it across documents)', async () => {
    const first = await createEvent('keyword-three', 'JAZZ');
    expect(first.status).toBe(201);
    const spanishOnly = await (await http())
      .post('/api/events?locale=es')
      .set(auth())
      .send({ data: { title: 'Otro', slug: 'keyword-four', keyword: 'jazz', starts_at: '2027-01-01T20:00:00Z', timezone: 'UTC' } });
    expect(spanishOnly.status).toBe(400);
    expect(spanishOnly.body.error.details.errors[0].path).toEqual(['keyword']);
  });

  it('refuses a vote code already used in the same event, naming the field, and allows it in another event', async () => {
    const event = (await createEvent('codes-one', 'CODES')).body.data;
    const other = (await createEvent('codes-two', 'CODES2')).body.data;
    const artists = await Promise.all(
      ['Code Artist A', 'Code Artist B', 'Code Artist C'].map(async (name, i) =>
        (await (await http()).post('/api/artists').set(auth()).send({ data: { name, slug: `code-artist-${i}` } })).body.data
      )
    );
    const entry = (eventId: string, artistId: string, vote_code: string) =>
      http().then((api) => api.post('/api/lineup-entries').set(auth()).send({ data: { event: eventId, artist: artistId, vote_code } }));

    expect((await entry(event.documentId, artists[0].documentId, '7')).status).toBe(201);
    const duplicate = await entry(event.documentId, artists[1].documentId, '7');
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.details.errors[0].path).toEqual(['vote_code']);
    expect((await entry(other.documentId, artists[2].documentId, '7')).status).toBe(201);

    const sameArtistTwice = await entry(event.documentId, artists[0].documentId, '8');
    expect(sameArtistTwice.status).toBe(400);
    expect(sameArtistTwice.body.error.details.errors[0].path).toEqual(['artist']);

    const entries = await strapi.db.query('api::lineup-entry.lineup-entry').findMany({ where: { event_ref: event.documentId } });
    expect(entries.map((e: { vote_code: string }) => e.vote_code)).toEqual(['7']);
  });

  it('installs its constraints from several processes starting at the same moment, one at a time', async () => {
    // Each cms instance and worker installs them as it starts: four at once, a few times over.
    for (let round = 0; round < 5; round += 1) await Promise.all(Array.from({ length: 4 }, () => installConstraints(strapi)));
    const triggers = await strapi.db.connection('pg_trigger').where({ tgname: 'consent_records_append_only' }).count({ n: '*' }).first();
    expect(Number(triggers?.n)).toBe(1);
  });

  it('keeps consent records append-only, even against direct SQL', async () => {
    const record = await strapi.documents('api::consent-record.consent-record').create({
      data: {
        subject_hash: 'a'.repeat(64),
        channel: 'sms',
        purpose: 'event-updates',
        action: 'opt_in',
        source: 'test',
        occurred_at: new Date(),
      } as never,
    });
    await expect(
      strapi.documents('api::consent-record.consent-record').update({ documentId: record.documentId, data: { action: 'opt_out' } as never })
    ).rejects.toThrow(/append-only/);
    await expect(strapi.db.connection('consent_records').where({ id: record.id }).update({ action: 'opt_out' })).rejects.toThrow(
      /append-only/
    );
    await expect(strapi.db.connection('consent_records').where({ id: record.id }).delete()).rejects.toThrow(/append-only/);
    const row = await strapi.db.connection('consent_records').where({ id: record.id }).first();
    expect(row.action).toBe('opt_in');
  });

  it('sanitises post bodies on write so stored rich text carries no script', async () => {
    const res = await (await http())
      .post('/api/posts')
      .set(auth())
      .send({
        data: {
          title: 'Payloads',
          slug: 'payloads',
          body: [
            { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script>', onclick: 'x()' }] },
            { type: 'paragraph', children: [{ type: 'link', url: 'javascript:alert(1)', children: [{ type: 'text', text: 'bad' }] }] },
            { type: 'html', value: '<img src=x onerror=alert(1)>' },
          ],
        },
      });
    expect(res.status).toBe(201);
    expect(res.body.data.body).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script>' }] },
      { type: 'paragraph', children: [{ type: 'text', text: '' }] },
    ]);
  });
});
