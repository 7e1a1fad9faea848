import http from 'http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, cmsUrl, http as api } from '../../../../../cms/test/strapi';
import { seedDemo } from '../../../../../cms/src/seed';
import { createFans, createVotingEvent } from './fixtures';

type Standings = { totalVotes: number; entries: { code: string; votes: number }[]; round: { number: number } | null };

const board = async (slug: string) => (await (await api()).get(`/api/sms-voting/events/${slug}/leaderboard`)).body.data as Standings;

async function sqlCounts(strapi: Core.Strapi, roundRef: string) {
  const rows = (await strapi.db
    .connection('sms_voting_votes')
    .where({ round_ref: roundRef })
    .groupBy('vote_code')
    .select('vote_code')
    .count({ n: '*' })) as unknown as { vote_code: string; n: string | number }[];
  return Object.fromEntries(rows.map((row) => [row.vote_code, Number(row.n)]));
}

const asCounts = (standings: Standings) =>
  Object.fromEntries(standings.entries.filter((e) => e.votes > 0).map((e) => [e.code, e.votes]));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the live leaderboard', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);
  });

  it("serves a given round's final results for a recap, and refuses rounds without any", async () => {
    const recap = await (await api()).get('/api/sms-voting/events/spring-sessions/leaderboard?round=1').expect(200);
    expect(recap.body.data.round).toMatchObject({ number: 1, state: 'closed' });
    expect(recap.body.data.entries.map((e: { artist: { name: string }; votes: number }) => [e.artist.name, e.votes])).toEqual([
      ['Luna Vega', 41],
      ['Nova Reyes', 37],
      ['Static Bloom', 22],
    ]);
    expect((await (await api()).get('/api/sms-voting/events/spring-sessions/leaderboard?round=2')).status).toBe(404);
    const invalid = await (await api()).get('/api/sms-voting/events/spring-sessions/leaderboard?round=first');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.errors[0].path).toEqual(['round']);
  });

  it('equals a SQL count after 1,000 random votes, and again after Redis loses it', async () => {
    const event = await createVotingEvent(strapi, { lineup: 4 });
    expect((await board(event.slug)).totalVotes).toBe(0);
    const fans = await createFans(strapi, 1000);
    const votes = strapi.plugin('sms-voting').service('votes');
    for (let i = 0; i < fans.length; i += 50) {
      await Promise.all(
        fans.slice(i, i + 50).map((fanRef) =>
          votes.cast({ fanRef, eventRef: event.eventRef, roundRef: event.roundRef, entry: event.entries[Math.floor(Math.random() * 4)], channel: 'sms' })
        )
      );
    }

    const truth = await sqlCounts(strapi, event.roundRef);
    expect(Object.values(truth).reduce((a, b) => a + b, 0)).toBe(1000);
    const live = await waitFor(() => board(event.slug), (s) => s.totalVotes === 1000);
    expect(asCounts(live)).toEqual(truth);
    expect(live.entries.map((e) => e.votes)).toEqual([...live.entries.map((e) => e.votes)].sort((a, b) => b - a));

    const redis = strapi.plugin('sms-voting').service('redis').client();
    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:voting:board:*`);
    await redis.del(...keys);
    const rebuilt = await board(event.slug);
    expect(asCounts(rebuilt)).toEqual(truth);
    expect(rebuilt.totalVotes).toBe(1000);
  });

  it('hides private results, and after_close results until the event closes', async () => {
    const secret = await createVotingEvent(strapi, { resultsVisibility: 'private' });
    expect((await (await api()).get(`/api/sms-voting/events/${secret.slug}/leaderboard`)).status).toBe(404);
    expect((await (await api()).get(`/api/sms-voting/events/${secret.slug}/leaderboard/stream`)).status).toBe(404);
    const later = await createVotingEvent(strapi, { resultsVisibility: 'after_close' });
    expect((await (await api()).get(`/api/sms-voting/events/${later.slug}/leaderboard`)).status).toBe(404);
    expect((await (await api()).get('/api/sms-voting/events/no-such-event/leaderboard')).status).toBe(404);
  });

  it('pushes fresh standings over server-sent events within a second of a vote', async () => {
    const event = await createVotingEvent(strapi);
    const [fanRef] = await createFans(strapi, 1);
    const url = `${await cmsUrl()}/api/sms-voting/events/${event.slug}/leaderboard/stream`;

    const messages: Standings[] = [];
    const arrived: number[] = [];
    const request = http.get(url, (response) => {
      expect(response.headers['content-type']).toMatch(/text\/event-stream/);
      let buffer = '';
      response.on('data', (chunk) => {
        buffer += chunk.toString();
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame);
          if (/^event: standings$/m.test(frame) && data) {
            messages.push(JSON.parse(data[1]));
            arrived.push(Date.now());
          }
        }
      });
    });
    try {
      await waitFor(async () => messages.length, (n) => n >= 1, 5000);
      expect(messages[0].totalVotes).toBe(0);

      const votedAt = Date.now();
      await strapi.plugin('sms-voting').service('votes').cast({ fanRef, eventRef: event.eventRef, roundRef: event.roundRef, entry: event.entries[1], channel: 'web' });
      await waitFor(async () => messages.length, (n) => n >= 2, 5000);
      expect(messages[1].totalVotes).toBe(1);
      expect(messages[1].entries[0]).toMatchObject({ code: '2', votes: 1 });
      expect(arrived[1] - votedAt).toBeLessThan(1000);
    } finally {
      request.destroy();
    }
  });
});
