/** A fan's text message, signed exactly as Twilio signs its webhooks, posted to a CMS on a real port. */
import crypto from 'node:crypto';
import twilio from 'twilio';

const INBOUND = '/api/sms-voting/twilio/inbound';

/** A random number in the 202 555 range, so every test fan is new. */
export const randomFanNumber = () => `+1202555${String(crypto.randomInt(0, 10_000)).padStart(4, '0')}`;

/**
 * Texts `body` from `from` and returns the reply's text. The signature is computed for the CMS's
 * configured public address (`PUBLIC_URL`) with `TWILIO_AUTH_TOKEN`, as Twilio would.
 */
export async function textCms(cmsUrl: string, from: string, body: string): Promise<string> {
  const form = {
    MessageSid: `SM${crypto.randomBytes(16).toString('hex')}`,
    AccountSid: `AC${crypto.randomBytes(16).toString('hex')}`,
    From: from,
    To: '+12025550100',
    Body: body,
    NumMedia: '0',
  };
  const publicUrl = (process.env.PUBLIC_URL || cmsUrl).replace(/\/$/, '');
  const signature = twilio.getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN ?? '', `${publicUrl}${INBOUND}`, form);
  const res = await fetch(`${cmsUrl}${INBOUND}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(form).toString(),
  });
  const twiml = await res.text();
  if (!res.ok) throw new Error(`inbound SMS answered ${res.status}: ${twiml}`);
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(twiml)?.[1] ?? '';
  return message
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** The voting link's path in a reply (`/vote/<token>` or `/es/vote/<token>`), whatever site origin it names. */
export function votingPathIn(reply: string): string | undefined {
  return /(?:\/es)?\/vote\/[A-Za-z0-9_-]+/.exec(reply)?.[0];
}
