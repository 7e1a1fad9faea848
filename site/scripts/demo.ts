/**
 * `npx tsx site/scripts/demo.ts`: a throwaway CMS (seeded demo) and the built site, side by side,
 * until Ctrl-C. Prints a fresh voting link. For looking at pages; `npm run dev` is the real thing.
 */
import { startSite } from '../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../test/sms';
import { startStandaloneCms } from '../test/standalone-cms';

const cms = await startStandaloneCms();
const site = await startSite(cms.url);
const reply = await textCms(cms.url, nextPhoneNumber(), 'DEMO').catch((error: Error) => `(no reply: ${error.message})`);
console.log(`CMS:  ${cms.url}\nSite: ${site.url}\nSMS reply: ${reply}\nVote: ${site.url}${votingPathIn(reply) ?? ''}`);

const stop = async () => {
  await site.stop();
  await cms.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
