import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { seedDemo } from '../../../../../cms/src/seed';
import { INBOUND_PATH, inboundForm, signInbound } from '../../../../../scripts/lib/twilio-inbound';
import { newMessageSid, nextPhoneNumber, sendSms, voteTokenIn } from './sms';

describe('the Twilio inbound webhook', () => {
  let strapi: Core.Strapi;
  const count = (table: string, where: Record<string, unknown> = {}) =>
    strapi.db.connection(table).where(where).count({ n: '*' }).first().then((row) => Number(row?.n));

  beforeAll(async () => {
    strapi = await bootStrapi();
    await seedDemo(strapi);
  });

  it('refuses forged and missing signatures with 403 and stores nothing', async () => {
    const from = nextPhoneNumber();
    const before = await count('sms_voting_inbound_messages');
    const forged = await sendSms({ from, body: 'DEMO' }, { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });
    const missing = await sendSms({ from, body: 'DEMO' }, { signature: null });
    expect(forged.response.status).toBe(403);
    expect(missing.response.status).toBe(403);
    expect(await count('sms_voting_inbound_messages')).toBe(before);
    expect(await strapi.service('api::fan.fan').findByPhone(from)).toBeNull();
  });

  it('refuses a signature made for another address than PUBLIC_URL (the tunnel Twilio called, when PUBLIC_URL is not set to it)', async () => {
    const sms = { from: nextPhoneNumber(), body: 'DEMO', messageSid: newMessageSid() };
    const elsewhere = signInbound(inboundForm(sms), { authToken: process.env.TWILIO_AUTH_TOKEN as string, publicUrl: 'https://ovation-dev.tunnel.example' });
    expect((await sendSms(sms, { signature: elsewhere })).response.status).toBe(403);
    expect((await sendSms({ ...sms, messageSid: newMessageSid() })).response.status).toBe(200);
  });

  it('joins a fan whose message carries control characters (a NUL), and stores it without them', async () => {
    const from = nextPhoneNumber();
    const messageSid = newMessageSid();
    const { response, reply } = await sendSms({ from, body: 'DEMO\u0000\u0007', messageSid });
    expect(response.status).toBe(200);
    expect(voteTokenIn(reply)).toBeTruthy();
    const stored = await strapi.db.connection('sms_voting_inbound_messages').where({ message_sid: messageSid }).first('body');
    expect(stored?.body).toBe('DEMO');
  });

  it('joins a fan with the event keyword: encrypted phone, attendance, consent, a reply with a voting link', async () => {
    const from = nextPhoneNumber();
    const { response, reply } = await sendSms({ from, body: '  join demo ' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/xml/);
    expect(reply).toMatch(/You're in for Ovation Live: Summer Showcase! Round 1 is open: text 1-4/);
    expect(voteTokenIn(reply)).toHaveLength(24);

    const fan = await strapi.db.connection('fans').where({ phone_hash: strapi.service('api::fan.fan').hashPhone(from) }).first();
    expect(fan.phone_encrypted).not.toContain(from.slice(2));
    expect(strapi.service('api::fan.fan').phoneOf(fan)).toBe(from);
    expect(await count('sms_voting_attendances', { fan_ref: fan.document_id })).toBe(1);
    expect(await strapi.service('api::consent-record.consent-record').latestAction(from, 'sms')).toBe('opt_in');
  });

  it('processes a replayed MessageSid once and answers it the same way', async () => {
    const from = nextPhoneNumber();
    const messageSid = newMessageSid();
    const first = await sendSms({ from, body: 'DEMO', messageSid });
    const counts = async () => [await count('fans'), await count('sms_voting_attendances'), await count('consent_records'), await count('sms_voting_inbound_messages')];
    const before = await counts();
    const again = await Promise.all([1, 2, 3].map(() => sendSms({ from, body: 'DEMO', messageSid })));
    for (const replay of again) expect(replay.reply).toBe(first.reply);
    expect(await counts()).toEqual(before);
  });

  it('records a vote by code, once per round', async () => {
    const from = nextPhoneNumber();
    await sendSms({ from, body: 'DEMO' });
    const voted = await sendSms({ from, body: 'vote 2' });
    expect(voted.reply).toBe('Vote counted for The Midnight Owls in round 1. Thanks!');
    const again = await sendSms({ from, body: '3' });
    expect(again.reply).toBe('You already voted in round 1: one vote per round.');
    const fan = await strapi.service('api::fan.fan').findByPhone(from);
    const votes = await strapi.db.connection('sms_voting_votes').where({ fan_ref: fan.documentId });
    expect(votes.map((v: { vote_code: string; channel: string }) => [v.vote_code, v.channel])).toEqual([['2', 'sms']]);
  });

  it('answers a code that is not on the lineup, and a fan who has not joined, helpfully', async () => {
    const from = nextPhoneNumber();
    expect((await sendSms({ from, body: '2' })).reply).toBe('Text an event keyword (like DEMO) to join first.');
    await sendSms({ from, body: 'DEMO' });
    expect((await sendSms({ from, body: '9' })).reply).toBe('9 is not on the lineup. Text 1-4 to vote.');
    expect((await sendSms({ from, body: 'what is this?' })).reply).toMatch(/didn't get that/);
    expect((await sendSms({ from, body: 'HELP' })).reply).toMatch(/^Ovation: text an event keyword/);
  });

  it('replies in Spanish to Spanish-speaking fans', async () => {
    const mexican = '+525512345678';
    const joined = await sendSms({ from: mexican, body: 'DEMO' });
    expect(joined.reply).toMatch(/^¡Ya estás en Ovation en Vivo: Muestra de Verano! La ronda 1 está abierta/);
    expect(joined.reply).toMatch(/\/es\/vote\//);
    expect((await sendSms({ from: mexican, body: 'votar 1' })).reply).toBe('Voto registrado para Luna Vega en la ronda 1. ¡Gracias!');

    const switched = nextPhoneNumber();
    expect((await sendSms({ from: switched, body: 'UNIRSE DEMO' })).reply).toMatch(/^¡Ya estás en/);
    expect((await sendSms({ from: switched, body: 'HELP' })).reply).toMatch(/^Ovation: envía/);
  });

  it('records STOP as an opt-out and START as an opt-in', async () => {
    const from = nextPhoneNumber();
    await sendSms({ from, body: 'DEMO' });
    expect((await sendSms({ from, body: 'stop' })).reply).toMatch(/unsubscribed/);
    expect(await strapi.service('api::consent-record.consent-record').latestAction(from, 'sms')).toBe('opt_out');
    expect((await sendSms({ from, body: 'UNSTOP' })).reply).toMatch(/subscribed again/);
    expect(await strapi.service('api::consent-record.consent-record').latestAction(from, 'sms')).toBe('opt_in');
  });

  it('records the Spanish opt-out and opt-in words like STOP and START, and tells Spanish fans to send INICIO', async () => {
    const ledger = strapi.service('api::consent-record.consent-record');
    const from = '+5255' + nextPhoneNumber().slice(-8);
    await sendSms({ from, body: 'DEMO' });
    for (const word of ['baja', 'Parar', 'CANCELAR', 'alto']) {
      const stopped = await sendSms({ from, body: word });
      expect(stopped.reply, word).toBe('Te diste de baja y no recibirás más mensajes. Envía INICIO para volver.');
      expect(await ledger.latestAction(from, 'sms'), word).toBe('opt_out');
      const started = await sendSms({ from, body: 'inicio' });
      expect(started.reply, word).toBe('Te suscribiste de nuevo. Envía AYUDA para ayuda, ALTO para darte de baja.');
      expect(await ledger.latestAction(from, 'sms'), word).toBe('opt_in');
    }
    const records = await strapi.db
      .connection('consent_records')
      .where({ subject_hash: strapi.service('api::fan.fan').hashPhone(from), purpose: 'all' })
      .orderBy('id')
      .select('action', 'source', 'evidence');
    expect(records.map((record: { action: string }) => record.action)).toEqual(['opt_out', 'opt_in', 'opt_out', 'opt_in', 'opt_out', 'opt_in', 'opt_out', 'opt_in']);
    expect(records.every((record: { source: string }) => record.source === 'sms-keyword')).toBe(true);
    const evidence = (record: { evidence: unknown }) => (typeof record.evidence === 'string' ? JSON.parse(record.evidence) : record.evidence) as { body: string };
    expect(records.map((record: { evidence: unknown }) => evidence(record).body)).toEqual(['baja', 'inicio', 'Parar', 'inicio', 'CANCELAR', 'inicio', 'alto', 'inicio']);
  });

  it('is answered from a lane of its own ahead of the general chain, with the same error shapes', async () => {
    const sms = { from: nextPhoneNumber(), body: 'DEMO', messageSid: newMessageSid() };
    const answered = await sendSms(sms);
    expect(answered.response.status).toBe(200);
    expect(answered.response.type).toBe('text/xml');
    // The general chain's headers for browsers (strapi::security) are not there: it never ran.
    expect(answered.response.headers['content-security-policy']).toBeUndefined();
    expect((await (await http()).get('/_health')).headers['content-security-policy']).toBeDefined();
    // A body over koa-body's form limit: 413 in Strapi's error shape, nothing stored.
    const before = await count('sms_voting_inbound_messages');
    const huge = await (await http()).post(INBOUND_PATH).type('form').send({ ...inboundForm({ ...sms, messageSid: newMessageSid() }), Padding: 'x'.repeat(60 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
    expect(await count('sms_voting_inbound_messages')).toBe(before);
    // Anything but a form goes the general way, and is refused there as before.
    const json = await (await http()).post(INBOUND_PATH).send(inboundForm({ ...sms, messageSid: newMessageSid() }));
    expect(json.status).toBe(403);
    expect(json.headers['content-security-policy']).toBeDefined();
  });

  it('refuses junk numbers and malformed webhooks', async () => {
    expect((await sendSms({ from: '+1000', body: 'DEMO' })).reply).toMatch(/can't accept messages from this number/);
    const malformed = await sendSms({ from: nextPhoneNumber(), body: 'DEMO', messageSid: 'not-a-sid' });
    expect(malformed.response.status).toBe(400);
    expect(malformed.response.body.error.details.errors[0].path).toEqual(['MessageSid']);
  });
});
