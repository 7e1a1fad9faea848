import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from './fixtures';
import { nextPhoneNumber, sendSms, voteTokenIn } from './sms';

describe('web votes with one-time links', () => {
  let strapi: Core.Strapi;
  let event: Awaited<ReturnType<typeof createVotingEvent>>;

  const joinAndGetToken = async () => {
    const { reply } = await sendSms({ from: nextPhoneNumber(), body: event.keyword });
    return voteTokenIn(reply) as string;
  };
  const vote = async (token: string, choice: string) => (await http()).post('/api/sms-voting/votes').send({ token, choice });

  beforeAll(async () => {
    strapi = await bootStrapi();
    event = await createVotingEvent(strapi);
  });

  it('describes the round behind a link, records the vote once (201), then refuses the link (409)', async () => {
    const token = await joinAndGetToken();
    const described = await (await http()).get(`/api/sms-voting/tokens/${token}`).expect(200);
    expect(described.body.data.round).toMatchObject({ number: 1, state: 'open' });
    expect(described.body.data.entries.map((e: { code: string }) => e.code)).toEqual(['1', '2', '3']);

    const first = await vote(token, '2');
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ round: { number: 1 }, choice: { code: '2' } });
    const second = await vote(token, '1');
    expect(second.status).toBe(409);
    expect(second.body.error.name).toBe('ConflictError');
    expect((await (await http()).get(`/api/sms-voting/tokens/${token}`)).status).toBe(409);

    // The link is stored as its SHA-256 only: the hash is there, the token itself nowhere in the table.
    const stored = (await strapi.db.connection('sms_voting_vote_tokens').pluck('token_hash')) as string[];
    expect(stored).toContain(crypto.createHash('sha256').update(token).digest('hex'));
    expect(stored).not.toContain(token);
  });

  it('answers 404 for an unknown token, 400 for an unknown choice, 400 for a malformed body', async () => {
    expect((await vote('A'.repeat(24), '1')).status).toBe(404);
    const token = await joinAndGetToken();
    const unknownChoice = await vote(token, '9');
    expect(unknownChoice.status).toBe(400);
    expect(unknownChoice.body.error.details.errors[0].path).toEqual(['choice']);
    expect((await (await http()).post('/api/sms-voting/votes').send({ choice: '1' })).status).toBe(400);
    expect((await vote(token, '1')).status).toBe(201);
  });

  it('refuses a fan who already voted by SMS (409) and a closed round (410)', async () => {
    const from = nextPhoneNumber();
    const token = voteTokenIn((await sendSms({ from, body: event.keyword })).reply) as string;
    await sendSms({ from, body: '3' });
    expect((await vote(token, '1')).status).toBe(409);

    const other = await createVotingEvent(strapi);
    const lateToken = voteTokenIn((await sendSms({ from: nextPhoneNumber(), body: other.keyword })).reply) as string;
    await strapi.plugin('sms-voting').service('rounds').close(other.roundRef);
    const late = await vote(lateToken, '1');
    expect(late.status).toBe(410);
    expect(late.body.error.name).toBe('GoneError');
  });

  it('rate-limits attempts on one token (429)', async () => {
    const token = await joinAndGetToken();
    const statuses = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await vote(token, '9')).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
