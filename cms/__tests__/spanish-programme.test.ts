import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, http } from '../test/strapi';
import { seedDemo } from '../src/seed';

type Round = { number: number; title: string | null; state: string };
type Entry = { vote_code: string; artist: { name: string; genre: string | null; bio: string | null; avatar?: unknown } | null };

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

describe('an event in Spanish, over the content API', () => {
  let strapi: Core.Strapi;
  // An event of its own: a round with a Spanish title and one without, and an artist with no Spanish localization.
  let slug: string;
  let documentId: string;
  let englishOnlyArtist: string;

  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);

    slug = unique('noche');
    const facts = { slug, starts_at: new Date(), timezone: 'UTC', phase: 'live' };
    const event = await strapi.documents('api::event.event').create({ locale: 'en', status: 'published', data: { ...facts, title: 'Night of Songs' } as never });
    documentId = event.documentId;
    await strapi.documents('api::event.event').update({ documentId, locale: 'es', status: 'published', data: { ...facts, title: 'Noche de Canciones' } as never });

    englishOnlyArtist = `Artist ${unique('only')}`;
    const artist = await strapi.documents('api::artist.artist').create({
      locale: 'en',
      status: 'published',
      data: { name: englishOnlyArtist, slug: unique('artist'), genre: 'Bluegrass', bio: 'Only in English.' } as never,
    });
    const luna = await strapi.db.query('api::artist.artist').findOne({ where: { slug: 'luna-vega' }, select: ['documentId'] });

    const rounds = strapi.documents('api::round.round');
    await rounds.create({ data: { event: documentId, number: 2, title: 'Encore', state: 'pending' } as never });
    await rounds.create({ data: { event: documentId, number: 1, title: 'Warm-up', title_es: 'Calentamiento', state: 'open' } as never });
    const lineup = strapi.documents('api::lineup-entry.lineup-entry');
    await lineup.create({ data: { event: documentId, artist: artist.documentId, vote_code: '2', order: 1 } as never });
    await lineup.create({ data: { event: documentId, artist: luna.documentId, vote_code: '1', order: 0 } as never });
  });

  const rest = async (query: string) => (await (await http()).get(`/api/events?filters[slug][$eq]=${slug}&${query}`).expect(200)).body.data[0];

  it('returns its rounds (Spanish title where set, English otherwise) and its lineup with artists in Spanish, else English', async () => {
    const event = await rest('locale=es&populate[rounds]=true&populate[lineup][populate][artist][populate]=avatar');
    expect(event.title).toBe('Noche de Canciones');
    expect(event.rounds.map((round: Round) => [round.number, round.title, round.state])).toEqual([
      [1, 'Calentamiento', 'open'],
      [2, 'Encore', 'pending'],
    ]);
    expect(event.lineup.map((entry: Entry) => [entry.vote_code, entry.artist?.name, entry.artist?.genre])).toEqual([
      ['1', 'Luna Vega', 'Pop latino'],
      ['2', englishOnlyArtist, 'Bluegrass'],
    ]);
    expect(event.lineup[0].artist.bio).toMatch(/^Compositora de pop bilingüe/);
    expect(event.lineup[0].artist).toHaveProperty('avatar');
    for (const private_ of ['event_ref', 'artist_ref']) expect(event.lineup[0]).not.toHaveProperty(private_);
    expect(event.rounds[0]).not.toHaveProperty('title_es');
    expect(event.rounds[0]).not.toHaveProperty('event_ref');
  });

  it('answers the same in English, with English titles', async () => {
    const event = await rest('populate[rounds]=true&populate[lineup][populate]=artist');
    expect(event.rounds.map((round: Round) => round.title)).toEqual(['Warm-up', 'Encore']);
    expect(event.lineup.map((entry: Entry) => entry.artist?.genre)).toEqual(['Latin pop', 'Bluegrass']);
  });

  it('applies filters, sort and fields on the populated rounds and lineup, and the other populate forms', async () => {
    const sorted = await rest('locale=es&populate[rounds][sort]=number:desc&populate[rounds][fields][0]=title');
    expect(sorted.rounds.map((round: Round) => round.title)).toEqual(['Encore', 'Calentamiento']);
    expect(sorted.rounds[0]).not.toHaveProperty('state');
    const open = await rest('locale=es&populate[rounds][filters][state][$eq]=open');
    expect(open.rounds.map((round: Round) => round.number)).toEqual([1]);
    const byArtist = await rest(`locale=es&populate[lineup][filters][vote_code][$eq]=2&populate[lineup][populate]=artist`);
    expect(byArtist.lineup.map((entry: Entry) => entry.artist?.name)).toEqual([englishOnlyArtist]);
    const star = await rest('locale=es&populate=*');
    expect(star.rounds).toHaveLength(2);
    expect(star.lineup).toHaveLength(2);
    const dotted = await rest('locale=es&populate[0]=rounds&populate[1]=lineup.artist');
    expect(dotted.lineup[0].artist.genre).toBe('Pop latino');
  });

  it('reads one event by document id in Spanish with its programme', async () => {
    const res = await (await http()).get(`/api/events/${documentId}?locale=es&populate[rounds]=true&populate[lineup][populate]=artist`).expect(200);
    expect(res.body.data.rounds.map((round: Round) => round.title)).toEqual(['Calentamiento', 'Encore']);
    expect(res.body.data.lineup).toHaveLength(2);
  });

  it('gives the demo events their rounds and lineup in Spanish', async () => {
    const res = await (await http()).get('/api/events?locale=es&populate[rounds]=true&populate[lineup][populate]=artist&sort=slug').expect(200);
    for (const event of res.body.data.filter((e: { slug: string }) => ['autumn-finals', 'spring-sessions', 'summer-showcase'].includes(e.slug))) {
      expect(event.rounds.length, event.slug).toBeGreaterThan(0);
      expect(event.lineup.length, event.slug).toBeGreaterThanOrEqual(3);
    }
    const showcase = res.body.data.find((e: { slug: string }) => e.slug === 'summer-showcase');
    expect(showcase.rounds.map((round: Round) => round.title)).toEqual(['Ronda inaugural', 'Votación del bis']);
  });

  it('refuses filters on the private columns with a 400', async () => {
    const res = await (await http()).get(`/api/events?locale=es&populate[rounds][filters][event_ref][$eq]=${documentId}`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
  });

  it('serves the same over GraphQL', async () => {
    const query = `{
      events(locale: "es", filters: { slug: { eq: "${slug}" } }) {
        title
        rounds { number title }
        open: rounds(filters: { state: { eq: "open" } }) { number }
        rounds_connection(sort: "number:desc") { nodes { title } }
        lineup { vote_code artist { name genre bio } }
      }
    }`;
    const res = await (await http()).post('/graphql').send({ query }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const [event] = res.body.data.events;
    expect(event.title).toBe('Noche de Canciones');
    expect(event.rounds).toEqual([
      { number: 1, title: 'Calentamiento' },
      { number: 2, title: 'Encore' },
    ]);
    expect(event.open).toEqual([{ number: 1 }]);
    expect(event.rounds_connection.nodes.map((round: Round) => round.title)).toEqual(['Encore', 'Calentamiento']);
    expect(event.lineup.map((entry: Entry) => [entry.vote_code, entry.artist?.name, entry.artist?.genre])).toEqual([
      ['1', 'Luna Vega', 'Pop latino'],
      ['2', englishOnlyArtist, 'Bluegrass'],
    ]);
    const english = await (await http()).post('/graphql').send({ query: query.replace('locale: "es", ', '') }).expect(200);
    expect(english.body.data.events[0].lineup[0].artist.genre).toBe('Latin pop');
  });

  it('labels the Spanish title for editors in the Content Manager', async () => {
    const configuration = await strapi.plugin('content-manager').service('content-types').findConfiguration(strapi.contentType('api::round.round'));
    expect(configuration.metadatas.title_es.edit).toMatchObject({ label: 'Title in Spanish', description: expect.stringMatching(/Leave empty to show the English title/) });
  });

  it('keeps the Spanish title out of GraphQL', async () => {
    const res = await (await http()).post('/graphql').send({ query: '{ rounds { title_es } }' }).expect(400);
    expect(res.body.errors[0].message).toMatch(/Cannot query field "title_es"/);
  });
});
