import crypto from 'crypto';
import twilio from 'twilio';
import { INBOUND_PATH } from '../../plugins/sms-voting/shared/contracts';

export { INBOUND_PATH };

/**
 * An inbound SMS as Twilio delivers it to the sms-voting webhook: the form, its X-Twilio-Signature
 * (computed by the twilio SDK for the cms's public address) and the reply read back from the TwiML.
 * Used by `npm run sms`, the tests and the voting benchmark alike.
 */
export const newMessageSid = () => `SM${crypto.randomBytes(16).toString('hex')}`;

export type InboundSms = { from: string; body: string; to?: string; messageSid?: string; accountSid?: string };

export function inboundForm({ from, body, to = '+12025550100', messageSid = newMessageSid(), accountSid = `AC${'0'.repeat(32)}` }: InboundSms) {
  return { MessageSid: messageSid, AccountSid: accountSid, From: from, To: to, Body: body, NumMedia: '0' };
}

/** The signature Twilio sends for this form posted to `${publicUrl}${INBOUND_PATH}`. */
export function signInbound(form: Record<string, string>, { authToken, publicUrl }: { authToken: string; publicUrl: string }) {
  return twilio.getExpectedTwilioSignature(authToken, `${publicUrl.replace(/\/$/, '')}${INBOUND_PATH}`, form);
}

/** The text of the <Message> in a TwiML answer, unescaped ('' when there is none). */
export function replyOf(twiml: string): string {
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(twiml)?.[1] ?? '';
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return message.replace(/&(#\d+|\w+);/g, (entity, name: string) =>
    name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : (named[name] ?? entity)
  );
}

/** Posts a signed inbound SMS to a cms on a real port; answers the HTTP status, the TwiML and the reply. */
export async function postInbound(
  sms: InboundSms,
  { cmsUrl, publicUrl, authToken }: { cmsUrl: string; publicUrl: string; authToken: string }
) {
  const form = inboundForm(sms);
  const response = await fetch(`${cmsUrl.replace(/\/$/, '')}${INBOUND_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signInbound(form, { authToken, publicUrl }) },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, text, reply: replyOf(text), form };
}
