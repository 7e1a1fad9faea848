import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../test/strapi';
import { printSeedReport, seedDemo } from '../src/seed';

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

  it('queues the welcome SMS once: a second run adds no message and no job, and says nothing changed', async () => {
    await seedDemo(strapi);
    const count = async (table: string) => Number((await strapi.db.connection(table).count({ count: '*' }).first())?.count);
    const welcome = () => strapi.db.connection('messages').where({ idempotency_key: 'seed:welcome-sms' }).select('id');
    expect(await welcome()).toHaveLength(1);
    const before = { messages: await count('messages'), jobs: await count('ops_jobs') };

    const lines: string[] = [];
    printSeedReport(await seedDemo(strapi), (line) => lines.push(line));

    expect({ messages: await count('messages'), jobs: await count('ops_jobs') }).toEqual(before);
    expect(await welcome()).toHaveLength(1);
    expect(lines).toEqual(['Demo already present: nothing changed.']);
  });
});
