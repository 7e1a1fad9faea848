import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { createFans, createVotingEvent } from './fixtures';
import { newMessageSid, nextPhoneNumber, sendSms } from './sms';

const count = (strapi: Core.Strapi, table: string, where: Record<string, unknown>) =>
  strapi.db.connection(table).where(where).count({ n: '*' }).first().then((row) => Number(row?.n));

describe('integrity under concurrency', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it('gives exactly 50 attendances when 100 fans join an event of capacity 50 at once', async () => {
    const event = await createVotingEvent(strapi, { capacity: 50 });
    const numbers = new Set<string>();
    while (numbers.size < 100) numbers.add(nextPhoneNumber());
    const replies = await Promise.all([...numbers].map((from) => sendSms({ from, body: event.keyword })));

    expect(replies.every(({ response }) => response.status === 200)).toBe(true);
    expect(await count(strapi, 'sms_voting_attendances', { event_ref: event.eventRef })).toBe(50);
    expect(replies.filter(({ reply }) => reply.startsWith("You're in")).length).toBe(50);
    expect(replies.filter(({ reply }) => reply.includes('is full')).length).toBe(50);
  });

  it('joins a fan once when their first two messages arrive at the same moment', async () => {
    const event = await createVotingEvent(strapi);
    const from = nextPhoneNumber();
    const [first, second] = await Promise.all([sendSms({ from, body: event.keyword }), sendSms({ from, body: `JOIN ${event.keyword}` })]);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(first.reply).toMatch(/^You're in for/);
    expect(second.reply).toMatch(/^You're in for/);
    expect(await count(strapi, 'fans', { phone_hash: strapi.service('api::fan.fan').hashPhone(from) })).toBe(1);
    expect(await count(strapi, 'sms_voting_attendances', { event_ref: event.eventRef })).toBe(1);
  });

  it('records one vote when one fan votes 200 times at once in a round', async () => {
    const event = await createVotingEvent(strapi);
    const [fanRef] = await createFans(strapi, 1);
    const votes = strapi.plugin('sms-voting').service('votes');
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        votes.cast({ fanRef, eventRef: event.eventRef, roundRef: event.roundRef, entry: event.entries[i % 3], channel: 'sms' })
      )
    );
    expect(outcomes.filter((o: { status: string }) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o: { status: string }) => o.status === 'already_voted')).toHaveLength(199);
    expect(await count(strapi, 'sms_voting_votes', { round_ref: event.roundRef })).toBe(1);
  });

  it('records one vote when a fan sends many vote texts at once, and rate-limits the flood', async () => {
    const event = await createVotingEvent(strapi);
    const from = nextPhoneNumber();
    await sendSms({ from, body: event.keyword });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sendSms({ from, body: String((i % 3) + 1) })));
    const statuses = results.map(({ response }) => response.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(await count(strapi, 'sms_voting_votes', { round_ref: event.roundRef })).toBe(1);
  });

  it('refuses a vote once its round has closed', async () => {
    const event = await createVotingEvent(strapi);
    const [fanRef] = await createFans(strapi, 1);
    await strapi.plugin('sms-voting').service('rounds').close(event.roundRef);
    const outcome = await strapi
      .plugin('sms-voting')
      .service('votes')
      .cast({ fanRef, eventRef: event.eventRef, roundRef: event.roundRef, entry: event.entries[0], channel: 'sms' });
    expect(outcome.status).toBe('round_closed');
    expect(await count(strapi, 'sms_voting_votes', { round_ref: event.roundRef })).toBe(0);
  });
});

describe('votes by SMS grouped into one statement (PostgreSQL)', () => {
  it.runIf(process.env.DATABASE_URL)('answers each message of a batch for itself: one vote per fan, a retried MessageSid gets its reply', async () => {
    const strapi = await bootStrapi();
    const event = await createVotingEvent(strapi);
    const [alice, bob] = [nextPhoneNumber(), nextPhoneNumber()];
    await sendSms({ from: alice, body: event.keyword });
    await sendSms({ from: bob, body: event.keyword });

    const smsVotes = strapi.plugin('sms-voting').service('sms-votes');
    const message = (from: string, body: string, messageSid = newMessageSid()) => ({ messageSid, from, to: '+12025550100', body });
    const bobs = message(bob, '3');
    // Issued in the same tick, so they share one statement.
    const [a1, a2, b1, b1again] = await Promise.all([
      smsVotes.cast(message(alice, '1'), alice, '1'),
      smsVotes.cast(message(alice, '2'), alice, '2'),
      smsVotes.cast(bobs, bob, '3'),
      smsVotes.cast(bobs, bob, '3'),
    ]);
    expect([a1?.outcome, a2?.outcome].sort()).toEqual(['already_voted', 'voted']);
    expect(b1).toEqual({ reply: expect.stringMatching(/^Vote counted for Artist \w+-3 in round 1/), outcome: 'voted' });
    expect(b1again).toEqual(b1);
    expect(await count(strapi, 'sms_voting_votes', { round_ref: event.roundRef })).toBe(2);
  });
});
