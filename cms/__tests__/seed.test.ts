import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../test/strapi';
import { seedDemo } from '../src/seed';

const TABLES = ['events', 'rounds', 'artists', 'lineup_entries', 'posts', 'admin_users', 'rounds_event_lnk', 'posts_artists_lnk'];

async function snapshot(strapi: Core.Strapi) {
  const rows: Record<string, unknown[]> = {};
  for (const table of TABLES) rows[table] = await strapi.db.connection(table).select('*').orderBy('id');
  return rows;
}

describe('npm run seed', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it('loads the demo: a live event with keyword DEMO, an open round with three or more entries, eight artists, posts in two languages', async () => {
    await seedDemo(strapi);
    const live = await strapi.documents('api::event.event').findFirst({
      filters: { keyword: 'DEMO' },
      status: 'published',
      populate: { rounds: true, lineup: true },
    });
    expect(live?.phase).toBe('live');
    const openRound = (live?.rounds as { state: string }[]).find((round) => round.state === 'open');
    expect(openRound).toBeDefined();
    expect((live?.lineup as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(await strapi.documents('api::event.event').count({ status: 'published' })).toBeGreaterThanOrEqual(2);
    expect(await strapi.documents('api::artist.artist').count({ status: 'published' })).toBeGreaterThanOrEqual(8);
    const spanish = await strapi.documents('api::post.post').findMany({ locale: 'es', status: 'published' });
    expect(spanish.length).toBeGreaterThanOrEqual(1);
    expect(spanish[0].title).toMatch(/[áéíóúñ]|Resumen|Conoce/);
  });

  it('changes nothing when run again', async () => {
    await seedDemo(strapi);
    const before = await snapshot(strapi);
    const report = await seedDemo(strapi);
    expect(report.created).toEqual([]);
    expect(report.admin).toBeUndefined();
    expect(await snapshot(strapi)).toEqual(before);
  });
});
