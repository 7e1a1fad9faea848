import crypto from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { createAdminUser } from '../../../../../cms/test/admin';
import { databaseHolding, redisHolding } from '../../../../../cms/test/storage-search';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { startFakeTwilio } from '../../../../../scripts/lib/fake-twilio';
import { handlers } from '../../../../../workers/src/jobs';
import { providersFromEnv, type Providers } from '../../../../../workers/src/providers';
import { silentLogger as logger, startWorkerPool, until } from '../../../../../workers/src/__tests__/pool';
import { createVotingEvent } from './fixtures';
import { newMessageSid, nextPhoneNumber, sendSms, voteTokenIn } from './sms';

const ACCOUNT = 'AC00000000000000000000000000000017';

/**
 * A voting link casts the fan's vote, so none may rest in storage: after a fan joins by SMS and a
 * round opens with its notifications sent by the workers, neither a token nor its link is in any
 * text column of the database or anywhere in Redis, while every link fans were sent still works,
 * a Twilio retry of the join gets the same link, and a retried notification sends the same one.
 */
describe('voting tokens in storage', () => {
  let strapi: Core.Strapi;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let providers: Providers;
  let admin: { Authorization: string };

  const vote = async (token: string, choice: string) => (await http()).post('/api/sms-voting/votes').send({ token, choice });
  const describeLink = async (token: string) => (await http()).get(`/api/sms-voting/tokens/${token}`);
  const received = (to: string) => twilio.received.filter((message) => message.to === to);
  const send = (messageId: number) => handlers['message.send']({ messageId }, { strapi, providers, logger }, { id: 0, attempts: 2 });

  beforeAll(async () => {
    strapi = await bootStrapi();
    twilio = await startFakeTwilio();
    providers = providersFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'test-auth-token', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.url });
    const { email, password } = await createAdminUser(strapi);
    const login = await (await http()).post('/admin/login').send({ email, password }).expect(200);
    admin = { Authorization: `Bearer ${login.body.data.token}` };
  });
  afterAll(() => twilio?.close());

  it('keeps no usable token in the database or Redis after a join and a round opening, and every link sent still votes', async () => {
    const event = await createVotingEvent(strapi);

    // A fan joins while round 1 is open; Twilio delivers the same message again: the same working link.
    const fan = nextPhoneNumber();
    const joinSid = newMessageSid();
    const joined = await sendSms({ from: fan, body: event.keyword, messageSid: joinSid });
    const joinToken = voteTokenIn(joined.reply) as string;
    expect(joinToken).toBeTruthy();
    const replayed = await sendSms({ from: fan, body: event.keyword, messageSid: joinSid });
    expect(replayed.reply).toBe(joined.reply);
    expect((await describeLink(joinToken)).status).toBe(200);
    expect((await vote(joinToken, '1')).status).toBe(201);

    // Round 2 opens from the admin; the workers queue the fan's notification and send it to Twilio.
    const next = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    const pool = startWorkerPool({ strapi, providers, names: ['round.notify', 'message.send'] });
    let notification;
    try {
      expect((await (await http()).post(`/sms-voting/rounds/${next.documentId}/open`).set(admin)).status).toBe(200);
      await until(() => received(fan).length === 1, 30_000, 'the notification reached Twilio');
      notification = await strapi.db.connection('messages').where({ idempotency_key: `round-open:${next.documentId}:${(await strapi.service('api::fan.fan').findByPhone(fan)).documentId}` }).first();
      await until(async () => (await strapi.db.connection('messages').where({ id: notification.id }).first('state')).state === 'sent', 10_000, 'recorded as sent');
    } finally {
      await pool.stop();
    }
    const [sms] = received(fan);
    expect(sms.body).toMatch(/^Round 2 of Test event \w+ is open! Text 1-3 or vote at http:\/\/127\.0\.0\.1:4321\/vote\/[\w-]{24}$/);
    const notifiedToken = voteTokenIn(sms.body) as string;

    // The job run again queues nothing new; a send retried after an attempt that reached Twilio finds
    // it there by its text (so it is the same text); one retried after a refusal sends that same text.
    expect(await handlers['round.notify']({ roundRef: next.documentId }, { strapi, providers, logger }, { id: 0, attempts: 2 })).toMatchObject({ queued: 0, existing: 1 });
    await strapi.db.connection('messages').where({ id: notification.id }).update({ state: 'sending', sending_since: new Date() });
    expect(await send(notification.id)).toMatchObject({ status: 'sent', recovered: true, providerMessageId: sms.sid });
    await strapi.db.connection('messages').where({ id: notification.id }).update({ state: 'failed' });
    expect(await send(notification.id)).toMatchObject({ status: 'sent' });
    expect(received(fan).map((message) => message.body)).toEqual([sms.body, sms.body]);

    // A second fan joins while round 2 is open: the link in their reply, and the one the first fan was
    // texted, each vote once in this fresh round.
    const second = nextPhoneNumber();
    const secondSid = newMessageSid();
    const secondJoin = await sendSms({ from: second, body: event.keyword, messageSid: secondSid });
    const secondToken = voteTokenIn(secondJoin.reply) as string;
    expect(secondJoin.reply).toMatch(/Round 2 is open/);
    expect((await sendSms({ from: second, body: event.keyword, messageSid: secondSid })).reply).toBe(secondJoin.reply);
    // A fan who texts their link back (a question, a paste) has it stored masked too.
    expect((await sendSms({ from: second, body: `is this mine? ${/\S+\/vote\/\S+/.exec(secondJoin.reply)?.[0]}` })).response.status).toBe(200);
    expect((await vote(notifiedToken, '2')).status).toBe(201);
    expect((await vote(secondToken, '3')).status).toBe(201);
    expect((await vote(notifiedToken, '1')).status).toBe(409);

    const secrets = [joinToken, notifiedToken, secondToken];
    const links = [...secrets.map((token) => `/vote/${token}`), /https?:\/\/\S+\/vote\/[\w-]+/.exec(sms.body)?.[0] as string];
    const holding = { database: await databaseHolding(strapi, [...secrets, ...links]), redis: await redisHolding([...secrets, ...links]) };
    expect(holding).toEqual({ database: [], redis: [] });
    // Jobs carry ids, never a token or a number: in PostgreSQL, and in Redis where they are handed over.
    const jobs = await strapi.db.connection('ops_jobs').whereIn('idempotency_key', [`round.notify:${next.documentId}`, `message.send:${notification.idempotency_key}`]).orderBy('id').pluck('payload');
    expect(jobs.map((payload: unknown) => (typeof payload === 'string' ? JSON.parse(payload) : payload))).toEqual([{ roundRef: next.documentId }, { messageId: notification.id }]);
    expect(await redisHolding([fan, fan.slice(1), second, second.slice(1)])).toEqual([]);
    // The searches do look where tokens would be: their hashes are found, as the vote-token rows and the per-token rate limit's key.
    const hash = crypto.createHash('sha256').update(notifiedToken).digest('hex');
    expect(await databaseHolding(strapi, [hash])).toEqual([expect.stringMatching(/"sms_voting_vote_tokens"\.token_hash$/)]);
    expect(await redisHolding([hash.slice(0, 32)])).toEqual([expect.stringMatching(/:limit:attemptsPerToken:token:/)]);

    // What editors read in the outbox is the message as sent, its link masked: it does not vote.
    const stored = await strapi.db.connection('messages').where({ id: notification.id }).first('body');
    const masked = /\/vote\/(\S+)$/.exec(stored.body)?.[1] as string;
    expect(stored.body.replace(masked, notifiedToken)).toBe(sms.body);
    expect((await describeLink(encodeURIComponent(masked))).status).toBe(404);
  });

  it('gives a fan one link per round, the same when they join again and after a new app key is added', async () => {
    const event = await createVotingEvent(strapi);
    const fan = nextPhoneNumber();
    const joinSid = newMessageSid();
    const first = voteTokenIn((await sendSms({ from: fan, body: event.keyword, messageSid: joinSid })).reply) as string;
    expect(voteTokenIn((await sendSms({ from: fan, body: event.keyword })).reply)).toBe(first);

    // A rotation puts a new key first in APP_KEYS and keeps the old one: links already sent stay the same.
    const keys = strapi.config.get('server.app.keys') as string[];
    strapi.config.set('server.app.keys', [crypto.randomBytes(16).toString('base64'), ...keys]);
    try {
      expect(voteTokenIn((await sendSms({ from: fan, body: event.keyword, messageSid: joinSid })).reply)).toBe(first);
      expect(voteTokenIn((await sendSms({ from: fan, body: event.keyword })).reply)).toBe(first);
      const newcomer = voteTokenIn((await sendSms({ from: nextPhoneNumber(), body: event.keyword })).reply) as string;
      expect((await vote(newcomer, '1')).status).toBe(201);
    } finally {
      strapi.config.set('server.app.keys', keys);
    }
    expect((await vote(first, '2')).status).toBe(201);
    const rows = await strapi.db.connection('sms_voting_vote_tokens').where({ round_ref: event.roundRef }).count({ n: '*' }).first();
    expect(Number(rows?.n)).toBe(2);
  });
});
