/**
 * One table of web votes (voting links), run against both paths that answer them: the one-statement
 * fast path (PostgreSQL) and the general transactional path (SQLite, and every vote the fast path
 * does not accept). Both must answer every case the same, record the same votes and spend the link
 * only when a vote went in. On SQLite both runs take the general path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from './fixtures';
import { nextPhoneNumber, sendSms, voteTokenIn } from './sms';

type Voting = Awaited<ReturnType<typeof createVotingEvent>>;
type Fixture = { event: Voting; from: string; token: string };
type Answer = { status: number; error?: string; choice?: { code: string; artist: { name: string } | null } };
type Case = {
  name: string;
  /** Runs before the votes: the fixture's event is the path's own, its link issued by a join. */
  before?: (strapi: Core.Strapi, fixture: Fixture) => Promise<void>;
  /** The choices sent with the link, in order (`together` sends them at once). */
  choices: string[];
  together?: boolean;
  answers: Answer[];
  /** The fan's votes in the round afterwards, by channel. */
  votes: { code: string; channel: 'sms' | 'web' }[];
  spent: boolean;
};

/** A 201 naming the choice: its artist (published, with a name) or, for an unpublished one, null. */
const accepted = (code: string, published = true): Answer => ({
  status: 201,
  choice: { code, artist: published ? (expect.objectContaining({ name: expect.stringMatching(/^Artist /) }) as { name: string }) : null },
});

const CASES: Case[] = [
  { name: 'a link and a choice on the lineup', choices: ['2'], answers: [accepted('2')], votes: [{ code: '2', channel: 'web' }], spent: true },
  {
    name: 'the same link again',
    choices: ['2', '1'],
    answers: [accepted('2'), { status: 409, error: 'ConflictError' }],
    votes: [{ code: '2', channel: 'web' }],
    spent: true,
  },
  {
    name: 'the same link twice at the same moment',
    choices: ['1', '3'],
    together: true,
    answers: [{ status: 201 }, { status: 409, error: 'ConflictError' }],
    votes: [{ code: expect.stringMatching(/^[13]$/) as unknown as string, channel: 'web' }],
    spent: true,
  },
  {
    name: 'a choice not on the lineup, then one that is',
    choices: ['9', '1'],
    answers: [{ status: 400, error: 'ValidationError' }, accepted('1')],
    votes: [{ code: '1', channel: 'web' }],
    spent: true,
  },
  {
    name: 'a fan who already voted by SMS',
    before: async (_strapi, { from }) => void (await sendSms({ from, body: '3' })),
    choices: ['1'],
    answers: [{ status: 409, error: 'ConflictError' }],
    votes: [{ code: '3', channel: 'sms' }],
    spent: false,
  },
  {
    name: 'the code of an entry whose artist is not published',
    before: async (strapi, { event }) => {
      const artist = (await strapi.db.connection('lineup_entries').where({ event_ref: event.eventRef, vote_code: '3' }).first('artist_ref')).artist_ref;
      await strapi.documents('api::artist.artist').unpublish({ documentId: artist, locale: 'en' });
      strapi.plugin('sms-voting').service('directory').clear();
    },
    choices: ['3'],
    answers: [accepted('3', false)],
    votes: [{ code: '3', channel: 'web' }],
    spent: true,
  },
  {
    name: 'a round that has closed',
    before: async (strapi, { event }) => strapi.plugin('sms-voting').service('rounds').close(event.roundRef),
    choices: ['1'],
    answers: [{ status: 410, error: 'GoneError' }],
    votes: [],
    spent: false,
  },
  {
    name: 'a link past its expiry',
    before: async (strapi, { event }) =>
      void (await strapi.db.connection('sms_voting_vote_tokens').where({ round_ref: event.roundRef }).update({ expires_at: new Date(Date.now() - 1000) })),
    choices: ['1'],
    answers: [{ status: 410, error: 'GoneError' }],
    votes: [],
    spent: false,
  },
  {
    name: 'an event that was unpublished',
    before: async (strapi, { event }) => {
      await strapi.documents('api::event.event').unpublish({ documentId: event.eventRef, locale: '*' });
      strapi.plugin('sms-voting').service('directory').clear();
    },
    choices: ['1'],
    answers: [{ status: 410, error: 'GoneError' }],
    votes: [],
    spent: false,
  },
];

describe('web votes, one table on both paths', () => {
  let strapi: Core.Strapi;
  const setFast = (fast: boolean) => strapi.config.set('plugin::sms-voting.fastWebVotes', fast);
  let fastByDefault: boolean;

  beforeAll(async () => {
    strapi = await bootStrapi();
    fastByDefault = (strapi.config.get('plugin::sms-voting') as { fastWebVotes: boolean }).fastWebVotes;
  });

  afterAll(() => setFast(fastByDefault));

  const vote = async (token: string, choice: string) => {
    const res = await (await http()).post('/api/sms-voting/votes').send({ token, choice });
    return { status: res.status, error: res.body?.error?.name, choice: res.body?.data?.choice } as Answer;
  };

  for (const path of ['fast', 'general'] as const) {
    describe(`the ${path} path`, () => {
      for (const testCase of CASES) {
        it(testCase.name, async () => {
          setFast(path === 'fast');
          // Each case has an event of its own: several change it (a round closed, an artist unpublished).
          const event = await createVotingEvent(strapi, { lineup: 3 });
          const from = nextPhoneNumber();
          const token = voteTokenIn((await sendSms({ from, body: event.keyword })).reply) as string;
          expect(token).toBeTruthy();
          await testCase.before?.(strapi, { event, from, token });

          const answers = testCase.together
            ? await Promise.all(testCase.choices.map((choice) => vote(token, choice)))
            : await testCase.choices.reduce<Promise<Answer[]>>(async (done, choice) => [...(await done), await vote(token, choice)], Promise.resolve([]));
          const sorted = testCase.together ? [...answers].sort((a, b) => a.status - b.status) : answers;
          expect(sorted).toEqual(testCase.answers.map((answer) => expect.objectContaining(answer)));

          const fan = await strapi.service('api::fan.fan').findByPhone(from);
          const votes = await strapi.db.connection('sms_voting_votes').where({ fan_ref: fan!.documentId, round_ref: event.roundRef }).select('vote_code', 'channel');
          expect(votes.map((row: { vote_code: string; channel: string }) => ({ code: row.vote_code, channel: row.channel }))).toEqual(testCase.votes);
          const link = await strapi.db.connection('sms_voting_vote_tokens').where({ fan_ref: fan!.documentId, round_ref: event.roundRef }).first('used_at');
          expect(Boolean(link.used_at)).toBe(testCase.spent);
        });
      }
    });
  }
});
