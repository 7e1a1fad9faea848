/** A fan's text message, signed exactly as Twilio signs its webhooks, posted to a CMS on a real port. */
import { postInbound } from '../../scripts/lib/twilio-inbound';

export { nextPhoneNumber } from '../../cms/test/phones';

/**
 * Texts `body` from `from` and returns the reply's text. The signature is computed for the CMS's
 * configured public address (`PUBLIC_URL`) with `TWILIO_AUTH_TOKEN`, as Twilio would.
 */
export async function textCms(cmsUrl: string, from: string, body: string): Promise<string> {
  const { status, text, reply } = await postInbound(
    { from, body },
    { cmsUrl, publicUrl: process.env.PUBLIC_URL || cmsUrl, authToken: process.env.TWILIO_AUTH_TOKEN ?? '' }
  );
  if (status >= 300) throw new Error(`inbound SMS answered ${status}: ${text}`);
  return reply;
}

/** The voting link's path in a reply (`/vote/<token>` or `/es/vote/<token>`), whatever site origin it names. */
export function votingPathIn(reply: string): string | undefined {
  return /(?:\/es)?\/vote\/[A-Za-z0-9_-]+/.exec(reply)?.[0];
}
