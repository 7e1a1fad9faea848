/**
 * `WEBHOOK_SECRET=whsec_… PORT=8080 npm run receiver -w examples/partner`: a webhook endpoint that
 * prints every verified event. Put it behind HTTPS and subscribe its URL in Ovation's admin.
 */
import { createReceiver } from './receiver';

const secrets = (process.env.WEBHOOK_SECRET ?? '').split(/\s+/).filter(Boolean);
if (secrets.length === 0) {
  console.error('Set WEBHOOK_SECRET to the subscription\'s secret (two, space-separated, during a rotation).');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8080);
createReceiver({ secrets, onEvent: (event, id) => console.log(id, event.type, JSON.stringify(event.data)) }).listen(port, () => console.log(`Listening on :${port}`));
