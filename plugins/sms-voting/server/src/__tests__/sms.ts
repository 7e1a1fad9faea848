import { http } from '../../../../../cms/test/strapi';
import { INBOUND_PATH, inboundForm, newMessageSid, replyOf, signInbound, type InboundSms } from '../../../../../scripts/lib/twilio-inbound';

export { newMessageSid };

export { nextPhoneNumber } from '../../../../../cms/test/phones';

/** Posts an inbound SMS exactly as Twilio would (form-encoded, signed for PUBLIC_URL); `signature: null` sends none. */
export async function sendSms(sms: InboundSms, { signature }: { signature?: string | null } = {}) {
  const form = inboundForm(sms);
  const signed = signInbound(form, { authToken: process.env.TWILIO_AUTH_TOKEN as string, publicUrl: process.env.PUBLIC_URL as string });
  const request = (await http()).post(INBOUND_PATH).type('form').send(form);
  if (signature !== null) request.set('X-Twilio-Signature', signature ?? signed);
  const response = await request;
  return { response, form, reply: replyOf(response.text) };
}

export const voteTokenIn = (reply: string) => /\/vote\/([A-Za-z0-9_-]+)/.exec(reply)?.[1];
