/** `npm run seed`: loads the demo into the configured database. Running it again changes nothing. */
import { printSeedReport, seedDemo } from '../cms/src/seed';
import { withCms } from './lib/cms-app';

withCms(async (strapi) => printSeedReport(await seedDemo(strapi), (line) => console.log(line))).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
