/**
 * `OVATION_URL=https://cms.example.com OVATION_TOKEN=… npm run events -w examples/partner [slug]`:
 * lists the published events, or with a slug prints that event's voting stats.
 */
import { createOvationClient } from './client';

const cmsUrl = process.env.OVATION_URL ?? 'http://localhost:1337';
const token = process.env.OVATION_TOKEN;
if (!token) {
  console.error('Set OVATION_TOKEN to an API token made in Ovation\'s admin (Settings › API Tokens).');
  process.exit(2);
}

const client = createOvationClient({ cmsUrl, token });
const slug = process.argv[2];
const task = slug
  ? client.eventStats(slug).then((stats) => console.log(JSON.stringify(stats, null, 2)))
  : client.events().then((events) => events.forEach((event) => console.log(`${event.startsAt}  ${event.slug}  ${event.title}`)));
task.catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
