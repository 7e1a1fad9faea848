import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { createVotingEvent } from './fixtures';
import { nextPhoneNumber, sendSms } from './sms';

async function adminToken(strapi: Core.Strapi) {
  const email = `editor-${crypto.randomBytes(4).toString('hex')}@ovation.test`;
  const password = `Pw${crypto.randomBytes(8).toString('hex')}9`;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({ email, password, firstname: 'Edi', lastname: 'Tor', isActive: true, roles: [superAdmin.id] });
  const login = await (await http()).post('/admin/login').send({ email, password }).expect(200);
  return login.body.data.token as string;
}

/** The outbox rows of a round's notifications, recipients decrypted as the worker reads them. */
async function notificationsOf(strapi: Core.Strapi, roundRef: string) {
  const ids = (await strapi.db.connection('messages').where({ topic: `round-open:${roundRef}` }).orderBy('id').pluck('id')) as number[];
  return Promise.all(ids.map((id) => strapi.service('api::message.message').forSending(id)));
}

const jobOf = (strapi: Core.Strapi, key: string) => strapi.db.connection('ops_jobs').where({ idempotency_key: key }).first();

describe('rounds', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  it('are opened and closed by signed-in editors only', async () => {
    const event = await createVotingEvent(strapi);
    const second = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    expect((await (await http()).post(`/sms-voting/rounds/${second.documentId}/open`)).status).toBe(401);

    const token = await adminToken(strapi);
    const auth = { Authorization: `Bearer ${token}` };
    const opened = await (await http()).post(`/sms-voting/rounds/${second.documentId}/open`).set(auth);
    expect(opened.status).toBe(200);
    const dashboard = await (await http()).get(`/sms-voting/events/${event.eventRef}`).set(auth).expect(200);
    expect(dashboard.body.data.rounds.map((r: { number: number; state: string }) => [r.number, r.state])).toEqual([[1, 'closed'], [2, 'open']]);
    // "Open screen view" and the pinned links point at the site's big screen for this event.
    const screen = `${process.env.SITE_URL}/events/${dashboard.body.data.event.slug}/screen`;
    expect(dashboard.body.data.event.screenUrl).toBe(screen);
    expect(dashboard.body.data.rounds.map((r: { screenUrl: string | null }) => r.screenUrl)).toEqual([`${screen}?round=1`, `${screen}?round=2`]);
    expect((await (await http()).post(`/sms-voting/rounds/${second.documentId}/open`).set(auth)).status).toBe(400);
    expect((await (await http()).post(`/sms-voting/rounds/${second.documentId}/close`).set(auth)).status).toBe(200);
    for (const action of ['open', 'close', 'resend']) {
      const unknown = await (await http()).post(`/sms-voting/rounds/no-such-round/${action}`).set(auth);
      expect(unknown.status, action).toBe(404);
      expect(unknown.body.error).toMatchObject({ status: 404, name: 'NotFoundError', message: 'No such round' });
    }
  });

  it('follow their schedule', async () => {
    const event = await createVotingEvent(strapi);
    const due = await strapi.documents('api::round.round').create({
      data: { event: event.eventRef, number: 2, state: 'pending', opens_at: new Date(Date.now() - 1000), closes_at: new Date(Date.now() + 60_000) } as never,
    });
    await strapi.plugin('sms-voting').service('rounds').applySchedule();
    const rounds = await strapi.db.connection('rounds').where({ event_ref: event.eventRef }).orderBy('number').select('number', 'state');
    expect(rounds).toEqual([{ number: 1, state: 'closed' }, { number: 2, state: 'open' }]);

    await strapi.db.connection('rounds').where({ document_id: due.documentId }).update({ closes_at: new Date(Date.now() - 1000) });
    await strapi.plugin('sms-voting').service('rounds').applySchedule();
    expect((await strapi.db.connection('rounds').where({ document_id: due.documentId }).first('state')).state).toBe('closed');
  });

  it('open with their notification job in one transaction: a rolled-back opening leaves neither', async () => {
    const event = await createVotingEvent(strapi);
    const rounds = strapi.plugin('sms-voting').service('rounds');
    const next = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    await expect(
      strapi.db.transaction(async () => {
        await rounds.open(next.documentId);
        throw new Error('the editor’s request failed after the opening');
      })
    ).rejects.toThrow(/failed after the opening/);
    expect((await strapi.db.connection('rounds').where({ document_id: next.documentId }).first('state')).state).toBe('pending');
    expect(await jobOf(strapi, `round.notify:${next.documentId}`)).toBeUndefined();

    expect(await rounds.open(next.documentId)).toEqual({ opened: true });
    expect(await jobOf(strapi, `round.notify:${next.documentId}`)).toMatchObject({ name: 'round.notify', state: 'queued' });
  });

  it('text every joined fan their link when a round opens, except a fan who sent STOP, and never twice', async () => {
    const event = await createVotingEvent(strapi);
    const [stays, leaves] = [nextPhoneNumber(), nextPhoneNumber()];
    await sendSms({ from: stays, body: event.keyword });
    await sendSms({ from: leaves, body: event.keyword });
    await sendSms({ from: leaves, body: 'STOP' });

    const next = await strapi.documents('api::round.round').create({ data: { event: event.eventRef, number: 2, state: 'pending' } as never });
    const rounds = strapi.plugin('sms-voting').service('rounds');
    await rounds.open(next.documentId, { notify: false });
    expect(await rounds.notifyRoundOpen(next.documentId)).toEqual({ queued: 1, existing: 0, skipped: 1, retried: 0 });
    const messages = await notificationsOf(strapi, next.documentId);
    expect(messages.map((m) => m?.to)).toEqual([stays]);
    expect(messages[0]?.body).toMatch(/^Round 2 of Test event \w+ is open! Text 1-3 or vote at http:\/\/127\.0\.0\.1:4321\/vote\/[\w-]+$/);
    // The send job carries the outbox row's id and nothing else.
    const sendJob = await strapi.db.connection('ops_jobs').where({ name: 'message.send' }).where('idempotency_key', 'like', `message.send:round-open:${next.documentId}:%`).first();
    expect(typeof sendJob.payload === 'string' ? JSON.parse(sendJob.payload) : sendJob.payload).toEqual({ messageId: messages[0]?.id });

    // The job run again (a retry, a dead worker's job) queues nothing new, with the same working link.
    expect(await rounds.notifyRoundOpen(next.documentId)).toEqual({ queued: 0, existing: 1, skipped: 1, retried: 0 });
    expect(await notificationsOf(strapi, next.documentId)).toEqual(messages);
    const token = /\/vote\/([\w-]+)/.exec(messages[0]?.body ?? '')?.[1];
    expect((await (await http()).get(`/api/sms-voting/tokens/${token}`)).status).toBe(200);
  });
});
