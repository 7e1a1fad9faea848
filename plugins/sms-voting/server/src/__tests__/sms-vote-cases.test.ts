/**
 * One table of SMS votes, run against both paths that answer them: the one-statement fast path
 * (PostgreSQL) and the general transactional path (SQLite, and any message the fast path has
 * nothing to say about). Both must count and word every case the same. On SQLite both runs take
 * the general path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { createVotingEvent } from './fixtures';
import { newMessageSid, nextPhoneNumber, sendSms } from './sms';

type Voting = Awaited<ReturnType<typeof createVotingEvent>> & { artists: string[] };
type Step = { body: string; reply: (event: Voting) => string; outcome: string; messageSid?: string };
type Case = { name: string; joined: boolean; steps: Step[]; votes: string[]; roundClosed?: boolean };

const artist = (event: Voting, code: number) => event.artists[code - 1];
const voted = (code: number) => (event: Voting) => `Vote counted for ${artist(event, code)} in round 1. Thanks!`;
const alreadyVoted = () => 'You already voted in round 1: one vote per round.';
const retriedSid = newMessageSid();

const CASES: Case[] = [
  { name: 'a bare code', joined: true, steps: [{ body: '2', reply: voted(2), outcome: 'voted' }], votes: ['2'] },
  { name: 'VOTE and the code, any case and spacing', joined: true, steps: [{ body: '  vote   2 ', reply: voted(2), outcome: 'voted' }], votes: ['2'] },
  {
    name: 'VOTAR: the Spanish word, answered in Spanish',
    joined: true,
    steps: [{ body: 'Votar 1', reply: (event) => `Voto registrado para ${artist(event, 1)} en la ronda 1. ¡Gracias!`, outcome: 'voted' }],
    votes: ['1'],
  },
  {
    name: 'a second vote in the round',
    joined: true,
    steps: [
      { body: '1', reply: voted(1), outcome: 'voted' },
      { body: '2', reply: alreadyVoted, outcome: 'already_voted' },
    ],
    votes: ['1'],
  },
  {
    name: 'the same MessageSid again (a Twilio retry)',
    joined: true,
    steps: [
      { body: '1', reply: voted(1), outcome: 'voted', messageSid: retriedSid },
      { body: '1', reply: voted(1), outcome: 'voted', messageSid: retriedSid },
    ],
    votes: ['1'],
  },
  {
    name: 'the code of an entry whose artist is not published',
    joined: true,
    steps: [{ body: '3', reply: () => 'Vote counted for 3 in round 1. Thanks!', outcome: 'voted' }],
    votes: ['3'],
  },
  { name: 'a code not on the lineup', joined: true, steps: [{ body: '9', reply: () => '9 is not on the lineup. Text 1-3 to vote.', outcome: 'unknown_code' }], votes: [] },
  { name: 'a fan who has not joined', joined: false, steps: [{ body: '2', reply: () => 'Text an event keyword (like DEMO) to join first.', outcome: 'not_joined' }], votes: [] },
  {
    name: 'a round that has closed',
    joined: true,
    roundClosed: true,
    steps: [{ body: '1', reply: () => "Voting isn't open right now. We'll text you when it opens.", outcome: 'no_open_round' }],
    votes: [],
  },
];

describe('SMS votes, one table on both paths', () => {
  let strapi: Core.Strapi;
  const config = () => strapi.config.get('plugin::sms-voting') as { fastSmsVotes: boolean };
  let fastByDefault: boolean;

  beforeAll(async () => {
    strapi = await bootStrapi();
    fastByDefault = config().fastSmsVotes;
  });

  afterAll(() => {
    strapi.config.set('plugin::sms-voting.fastSmsVotes', fastByDefault);
  });

  /** An event of the path's own, its third artist unpublished (an entry fans see by its code). */
  const eventFor = async (): Promise<Voting> => {
    const event = await createVotingEvent(strapi, { lineup: 3 });
    const refs = (await strapi.db.connection('lineup_entries').where({ event_ref: event.eventRef }).orderBy('order').pluck('artist_ref')) as string[];
    const artists = [];
    for (const ref of refs) artists.push((await strapi.db.connection('artists').where({ document_id: ref }).first('name')).name as string);
    await strapi.documents('api::artist.artist').unpublish({ documentId: refs[2], locale: 'en' });
    strapi.plugin('sms-voting').service('directory').clear();
    return { ...event, artists };
  };

  for (const path of ['fast', 'general'] as const) {
    describe(`the ${path} path`, () => {
      let open: Voting;
      let closed: Voting;

      beforeAll(async () => {
        strapi.config.set('plugin::sms-voting.fastSmsVotes', path === 'fast');
        open = await eventFor();
        closed = await eventFor();
        await strapi.plugin('sms-voting').service('rounds').close(closed.roundRef);
      });

      for (const testCase of CASES) {
        it(testCase.name, async () => {
          strapi.config.set('plugin::sms-voting.fastSmsVotes', path === 'fast');
          const event = testCase.roundClosed ? closed : open;
          const from = nextPhoneNumber();
          if (testCase.joined) expect((await sendSms({ from, body: event.keyword })).response.status).toBe(200);
          for (const step of testCase.steps) {
            // A retried MessageSid is the path's own: the other path's run must not have stored it.
            const messageSid = step.messageSid && `${step.messageSid.slice(0, -1)}${path === 'fast' ? 'a' : 'b'}`;
            const { response, reply } = await sendSms({ from, body: step.body, messageSid });
            expect(response.status).toBe(200);
            expect(reply).toBe(step.reply(event));
            const stored = await strapi.db
              .connection('sms_voting_inbound_messages')
              .where({ from_hash: strapi.service('api::fan.fan').hashPhone(from) })
              .orderBy('id', 'desc')
              .first('outcome');
            expect(stored?.outcome).toBe(step.outcome);
          }
          const fan = await strapi.service('api::fan.fan').findByPhone(from);
          const votes = fan ? ((await strapi.db.connection('sms_voting_votes').where({ fan_ref: fan.documentId }).pluck('vote_code')) as string[]) : [];
          expect(votes).toEqual(testCase.votes);
        });
      }
    });
  }
});
