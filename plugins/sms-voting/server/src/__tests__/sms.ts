import crypto from 'crypto';
import twilio from 'twilio';
import { http } from '../../../../../cms/test/strapi';

export const INBOUND = '/api/sms-voting/twilio/inbound';
export const newMessageSid = () => `SM${crypto.randomBytes(16).toString('hex')}`;

/** A random valid US mobile-looking number in the 202 area code. */
export const randomUsNumber = () => `+1202555${String(crypto.randomInt(0, 10_000)).padStart(4, '0')}`;

export type Sms = { from: string; body: string; messageSid?: string; to?: string };

export function twilioForm({ from, body, messageSid = newMessageSid(), to = '+12025550100' }: Sms) {
  return { MessageSid: messageSid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: to, Body: body, NumMedia: '0' };
}

/** Posts an inbound SMS exactly as Twilio would: form-encoded and signed for PUBLIC_URL. */
export async function sendSms(sms: Sms, { signature }: { signature?: string | null } = {}) {
  const form = twilioForm(sms);
  const url = `${process.env.PUBLIC_URL}${INBOUND}`;
  const signed = twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN as string, url, form);
  const request = (await http()).post(INBOUND).type('form').send(form);
  if (signature !== null) request.set('X-Twilio-Signature', signature ?? signed);
  const response = await request;
  return { response, form, reply: replyText(response.text) };
}

/** The message of a TwiML response, unescaped. */
export function replyText(twiml: string): string {
  const match = /<Message>([\s\S]*)<\/Message>/.exec(twiml);
  return (match?.[1] ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export const voteTokenIn = (reply: string) => /\/vote\/([A-Za-z0-9_-]+)/.exec(reply)?.[1];
