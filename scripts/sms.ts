/**
 * `npm run sms -- --from +12025550123 "DEMO"`: posts an inbound SMS to the cms exactly as Twilio would
 * (form-encoded, X-Twilio-Signature computed with the twilio SDK for PUBLIC_URL and TWILIO_AUTH_TOKEN)
 * and prints the reply, so the whole voting flow can be walked without a phone or a Twilio account.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import twilio from 'twilio';
import { REPO_DIR } from './lib/build';

const INBOUND = '/api/sms-voting/twilio/inbound';

function envFromCmsDotenv(): Record<string, string> {
  const file = path.join(REPO_DIR, 'cms', '.env');
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2]])
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string', default: '+12025550123' },
      to: { type: 'string', default: '+12025550100' },
      cms: { type: 'string' },
      sid: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log('Usage: npm run sms -- [--from +12025550123] [--to +12025550100] [--cms http://127.0.0.1:1337] [--sid SM…] "MESSAGE"');
    process.exit(values.help ? 0 : 1);
  }

  const dotenv = envFromCmsDotenv();
  const setting = (name: string, fallback = '') => process.env[name] || dotenv[name] || fallback;
  const authToken = setting('TWILIO_AUTH_TOKEN');
  if (!authToken) {
    console.error('No TWILIO_AUTH_TOKEN in the environment or cms/.env: run `npm run dev` once, or set it to the cms’s value.');
    process.exit(1);
  }
  const port = setting('PORT', '1337');
  const publicUrl = setting('PUBLIC_URL', `http://localhost:${port}`).replace(/\/$/, '');
  const cmsUrl = (values.cms ?? setting('CMS_URL', `http://127.0.0.1:${port}`)).replace(/\/$/, '');

  const form = {
    MessageSid: values.sid ?? `SM${crypto.randomBytes(16).toString('hex')}`,
    AccountSid: setting('TWILIO_ACCOUNT_SID', `AC${'0'.repeat(32)}`),
    From: values.from as string,
    To: values.to as string,
    Body: positionals.join(' '),
    NumMedia: '0',
  };
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicUrl}${INBOUND}`, form);

  const response = await fetch(`${cmsUrl}${INBOUND}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(form),
  }).catch((error: Error) => {
    console.error(`The cms did not answer at ${cmsUrl} (${error.message}). Is \`npm run dev\` running?`);
    process.exit(1);
  });
  const text = await response.text();
  if (!response.ok) {
    console.error(`${response.status} ${response.statusText}: ${text}`);
    process.exit(1);
  }
  const message = /<Message>([\s\S]*)<\/Message>/.exec(text)?.[1] ?? '';
  console.log(`${form.From} → ${form.Body}`);
  console.log(`${form.To} ← ${message.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))) || '(no reply)'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
