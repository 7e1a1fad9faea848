import crypto from 'crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '@strapi/strapi';
import { fromAddress } from '../../../../../cms/test/clients';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { limitKey } from '../middlewares/rate-limit';
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

  it("shows an unpublished artist's entry by its code alone (artist: null) and a published artist with its avatar", async () => {
    const own = await createVotingEvent(strapi);
    const artistOf = async (code: string) =>
      (await strapi.db.connection('lineup_entries').where({ event_ref: own.eventRef, vote_code: code }).first('artist_ref')).artist_ref as string;
    const hidden = await artistOf('1');
    const pictured = await artistOf('2');
    await strapi.documents('api::artist.artist').unpublish({ documentId: hidden, locale: 'en' });
    const file = await strapi.db.query('plugin::upload.file').create({
      data: { name: 'portrait.png', hash: `portrait_${crypto.randomBytes(4).toString('hex')}`, ext: '.png', mime: 'image/png', size: 1.2, url: '/uploads/portrait.png', provider: 'local', alternativeText: 'A portrait' },
    });
    await strapi.documents('api::artist.artist').update({ documentId: pictured, locale: 'en', data: { avatar: file.id } as never });
    await strapi.documents('api::artist.artist').publish({ documentId: pictured, locale: 'en' });
    strapi.plugin('sms-voting').service('directory').clear();

    const token = voteTokenIn((await sendSms({ from: nextPhoneNumber(), body: own.keyword })).reply) as string;
    const ballot = (await (await http()).get(`/api/sms-voting/tokens/${token}`).expect(200)).body.data;
    const byCode = Object.fromEntries(ballot.entries.map((e: { code: string; artist: unknown }) => [e.code, e.artist]));
    expect(byCode['1']).toBeNull();
    expect(byCode['2']).toMatchObject({ avatar: { url: '/uploads/portrait.png', alternativeText: 'A portrait' } });
    expect(byCode['3']).toMatchObject({ avatar: null });

    const receipt = await vote(token, '1');
    expect(receipt.status).toBe(201);
    expect(receipt.body.data.choice).toEqual({ code: '1', artist: null });
    const board = (await (await http()).get(`/api/sms-voting/events/${own.slug}/leaderboard`).expect(200)).body.data;
    expect(board.entries[0]).toEqual({ code: '1', artist: null, votes: 1 });
    expect(JSON.stringify(board)).not.toContain(hidden);
  });

  it('rate-limits attempts on one token (429)', async () => {
    const token = await joinAndGetToken();
    const statuses = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await vote(token, '9')).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("takes the site's votes in a lane of its own ahead of the general chain, with the same answers", async () => {
    const votesIn = async () => Number((await strapi.db.connection('sms_voting_votes').count({ n: '*' }))[0].n);
    const fromSite = fromAddress();
    const siteVote = async (body: string) => (await http()).post('/api/sms-voting/votes').set(fromSite).type('json').send(body);
    const directVote = async (body: string) => (await http()).post('/api/sms-voting/votes').type('json').send(body);

    const token = await joinAndGetToken();
    const counted = await siteVote(JSON.stringify({ token, choice: '1' }));
    expect(counted.status).toBe(201);
    expect(counted.body.data).toMatchObject({ round: { number: 1 }, choice: { code: '1' } });
    // The general chain's headers for browsers (strapi::security) are not there: it never ran. A
    // vote that is not the site's goes the general way.
    expect(counted.headers['content-security-policy']).toBeUndefined();
    const direct = await directVote(JSON.stringify({ token, choice: '1' }));
    expect(direct.status).toBe(409);
    expect(direct.headers['content-security-policy']).toBeDefined();
    expect((await siteVote(JSON.stringify({ token, choice: '1' }))).body.error).toEqual(direct.body.error);

    // Bodies the general chain refuses are refused alike: not JSON, not an object, a prototype key, over 1 MB.
    const before = await votesIn();
    const other = await joinAndGetToken();
    for (const body of ['{"token": ', '"just text"', `{"token":"${other}","choice":"1","__proto__":{"x":1}}`, JSON.stringify({ token: other, choice: '1', padding: 'x'.repeat(1024 * 1024) })]) {
      const [lane, general] = [await siteVote(body), await directVote(body)];
      expect(lane.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect([lane.status, lane.body.error]).toEqual([general.status, general.body.error]);
    }
    expect(await votesIn()).toBe(before);

    // A guess at a link from the site is counted against the fan's address, as on the general path.
    const guesser = fromAddress();
    const statuses: number[] = [];
    const guesses = strapi.plugin('sms-voting').config('limits.guessesPerIp') as { points: number };
    for (let i = 0; i <= guesses.points; i += 1) {
      statuses.push((await (await http()).post('/api/sms-voting/votes').set(guesser).send({ token: crypto.randomBytes(18).toString('base64url'), choice: '1' })).status);
    }
    expect(statuses.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("answers the site's batches vote by vote, each as it would be answered alone", async () => {
    const batch = async (votes: unknown[], headers: Record<string, string> = fromAddress()) =>
      (await http()).post('/api/sms-voting/votes/batch').set(headers).send({ votes });
    const [first, second] = [await joinAndGetToken(), await joinAndGetToken()];
    const address = '10.250.0.1';
    const answered = await batch([
      { token: first, choice: '1', address },
      { token: first, choice: '2', address },
      { token: 'B'.repeat(24), choice: '1', address },
      { token: second, choice: '9', address },
    ]);
    expect(answered.status).toBe(200);
    const outcomes = answered.body.data as { status: number; data?: unknown; error?: unknown }[];
    expect(outcomes.map((outcome) => outcome.status)).toEqual([201, 409, 404, 400]);
    expect(outcomes[0].data).toMatchObject({ round: { number: 1 }, choice: { code: '1' } });
    // Each refusal is the error a vote sent alone gets.
    expect(outcomes[1].error).toEqual((await vote(first, '2')).body.error);
    expect(outcomes[2].error).toEqual((await vote('B'.repeat(24), '1')).body.error);
    expect(outcomes[3].error).toEqual((await vote(second, '9')).body.error);
    expect((await vote(second, '3')).status).toBe(201);

    // Guesses at links are counted per fan's address, across batches: one address spent, another not.
    const guesses = strapi.plugin('sms-voting').config('limits.guessesPerIp') as { points: number };
    const guess = (from: string) => ({ token: crypto.randomBytes(18).toString('base64url'), choice: '1', address: from });
    const spent = await batch(Array.from({ length: guesses.points }, () => guess('10.250.0.2')));
    expect(spent.body.data.every((outcome: { status: number }) => outcome.status === 404)).toBe(true);
    const after = await batch([guess('10.250.0.2'), guess('10.250.0.3')]);
    expect(after.body.data.map((outcome: { status: number }) => outcome.status)).toEqual([429, 404]);
    expect(after.body.data[0].retryAfter).toBeGreaterThan(0);

    // Only the site sends batches; a batch must name each fan's address.
    const anonymous = await (await http()).post('/api/sms-voting/votes/batch').send({ votes: [guess('10.250.0.4')] });
    expect([anonymous.status, anonymous.body.error.name]).toEqual([403, 'PolicyError']);
    const unnamed = await batch([{ token: first, choice: '1', address: 'somewhere' }]);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.details.errors[0].path).toEqual(['votes', '0', 'address']);
  });
  it("answers a batch's votes each on its own when Redis or the database fails under one: a recorded vote keeps its 201", async () => {
    const batch = async (votes: unknown[]) => (await http()).post('/api/sms-voting/votes/batch').set(fromAddress()).send({ votes });
    const [kept, limited, recorded] = [await joinAndGetToken(), await joinAndGetToken(), await joinAndGetToken()];
    const appKeys = strapi.config.get('server.app.keys') as string[];
    const limits = strapi.plugin('sms-voting').service('limits');
    const directory = strapi.plugin('sms-voting').service('directory');
    // Redis drops the connection while one fan's limit is read, before their vote; the database
    // drops it while another's receipt is looked up, after their vote committed.
    const spent = limits.spent.bind(limits);
    const spentSpy = vi.spyOn(limits, 'spent').mockImplementation(async (name: string, key: string) => {
      if (key === limitKey('ip', '10.251.0.2', appKeys)) throw new Error('Connection is closed.');
      return spent(name, key);
    });
    const receiptSpy = vi.spyOn(directory, 'entryById').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      const answered = await batch([
        { token: kept, choice: '1', address: '10.251.0.1' },
        { token: limited, choice: '1', address: '10.251.0.2' },
        { token: recorded, choice: '2', address: '10.251.0.3' },
      ]);
      expect(answered.status).toBe(200);
      const outcomes = answered.body.data as { status: number; data?: { choice: { code: string } }; error?: { name: string; message: string }; retryAfter?: number }[];
      expect(outcomes.map((outcome) => outcome.status)).toEqual([201, 503, 201]);
      expect(receiptSpy).toHaveBeenCalled();
      expect(outcomes[1]).toMatchObject({ status: 503, error: { status: 503, message: expect.stringContaining('try again') }, retryAfter: 5 });
      expect(outcomes[0].data?.choice.code).toBe('1');
      expect(outcomes[2].data?.choice.code).toBe('2');
    } finally {
      spentSpy.mockRestore();
      receiptSpy.mockRestore();
    }
    // The refused fan's link still works; the recorded ones were recorded once each.
    expect((await vote(limited, '3')).status).toBe(201);
    expect((await vote(recorded, '2')).status).toBe(409);
    expect((await vote(kept, '1')).status).toBe(409);
  });
});
