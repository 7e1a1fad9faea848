/**
 * `npm run sms -- --from +12025550123 "DEMO"`: posts an inbound SMS to the cms exactly as Twilio would
 * (form-encoded, X-Twilio-Signature computed with the twilio SDK for PUBLIC_URL and TWILIO_AUTH_TOKEN)
 * and prints the reply, so the whole voting flow can be walked without a phone or a Twilio account.
 */
import fs from 'fs';
import { parseArgs } from 'util';
import { devEnvFile, parseEnvFile } from '../cms/src/lib/secrets';
import { postInbound } from './lib/twilio-inbound';

const envFromCmsDotenv = () => (fs.existsSync(devEnvFile()) ? parseEnvFile(fs.readFileSync(devEnvFile(), 'utf8')) : {});

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

  const sent = await postInbound(
    { from: values.from as string, to: values.to as string, body: positionals.join(' '), messageSid: values.sid, accountSid: setting('TWILIO_ACCOUNT_SID') || undefined },
    { cmsUrl, publicUrl, authToken }
  ).catch((error: Error) => {
    console.error(`The cms did not answer at ${cmsUrl} (${error.message}). Is \`npm run dev\` running?`);
    process.exit(1);
  });
  if (sent.status >= 300) {
    console.error(`${sent.status}: ${sent.text}`);
    process.exit(1);
  }
  console.log(`${sent.form.From} → ${sent.form.Body}`);
  console.log(`${sent.form.To} ← ${sent.reply || '(no reply)'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
