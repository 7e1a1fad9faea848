/**
 * The partner API's event stats: attendance, votes per round and per lineup entry, votes per
 * minute, for custom API tokens granted "Partner › stats" only; nothing about any fan.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFans, createVotingEvent } from '../../plugins/sms-voting/server/src/__tests__/fixtures';
import { apiToken, bootStrapi, http } from '../test/strapi';
import { StatsResponse } from '../src/api/partner/schemas';

describe('partner stats', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it('counts attendance and votes per round, per entry and per minute, for a token with the scope only', async () => {
    const event = await createVotingEvent(strapi, { lineup: 3 });
    const fans = await createFans(strapi, 7);
    const now = new Date();
    await strapi.db.connection('sms_voting_attendances').insert(
      fans.map((fan) => ({ document_id: fan.slice(0, 20) + 'att0', event_ref: event.eventRef, fan_ref: fan, source: 'keyword', created_at: now, updated_at: now, published_at: now }))
    );
    // Votes for entries 1 (four), 2 (two) and 3 (one), in two minutes.
    const codes = ['1', '1', '1', '1', '2', '2', '3'];
    const minute = (offset: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - offset * 60_000);
    await strapi.db.connection('sms_voting_votes').insert(
      fans.map((fan, i) => {
        const entry = event.entries.find((e) => e.code === codes[i])!;
        const at = new Date(minute(i < 3 ? 2 : 1).getTime() + 5_000 * i);
        return { document_id: fan.slice(0, 20) + 'vot0', round_ref: event.roundRef, event_ref: event.eventRef, fan_ref: fan, entry_ref: entry.documentId, vote_code: entry.code, channel: 'sms', created_at: at, updated_at: at, published_at: at };
      })
    );

    const partner = await apiToken(strapi, 'custom', ['api::partner.partner.stats']);
    const res = await (await http()).get(`/api/partner/v1/events/${event.slug}/stats`).set({ Authorization: `Bearer ${partner}` }).expect(200);
    // Exactly the shape the OpenAPI document publishes: parsing drops nothing and changes nothing.
    expect(StatsResponse.parse(res.body)).toEqual(res.body);
    const stats = res.body.data;
    expect(stats).toMatchObject({ event: { slug: event.slug, phase: 'live' }, attendance: 7, votes: 7 });
    expect(stats.rounds).toHaveLength(1);
    expect(stats.rounds[0]).toMatchObject({ number: 1, state: 'open', votes: 7 });
    expect(stats.rounds[0].entries.map((e: { code: string; votes: number }) => [e.code, e.votes])).toEqual([['1', 4], ['2', 2], ['3', 1]]);
    expect(stats.rounds[0].entries[0].artist).toMatchObject({ slug: expect.stringMatching(/^artist-/), name: expect.any(String) });
    expect(stats.votesPerMinute).toEqual([
      { minute: minute(2).toISOString(), votes: 3 },
      { minute: minute(1).toISOString(), votes: 4 },
    ]);
    // Nothing that names a fan.
    const body = JSON.stringify(res.body);
    for (const fan of fans) expect(body).not.toContain(fan);
    expect(body).not.toMatch(/fan|phone|email/i);

    // Refused: no token, a read-only token, a custom token without the scope, the public.
    const api = await http();
    expect((await api.get(`/api/partner/v1/events/${event.slug}/stats`)).status).toBe(403);
    expect((await api.get(`/api/partner/v1/events/${event.slug}/stats`).set({ Authorization: `Bearer ${await apiToken(strapi, 'read-only')}` })).status).toBe(403);
    expect((await api.get(`/api/partner/v1/events/${event.slug}/stats`).set({ Authorization: `Bearer ${await apiToken(strapi, 'custom', ['api::event.event.find'])}` })).status).toBe(403);
    const unknown = await api.get('/api/partner/v1/events/no-such-event/stats').set({ Authorization: `Bearer ${partner}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });
});
