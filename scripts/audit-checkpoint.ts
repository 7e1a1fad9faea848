/**
 * `npm run audit:checkpoint --silent > checkpoint.json`: signs a checkpoint of the audit trail's head
 * now (recorded in the trail as this script's) and prints it as JSON, to keep somewhere the database's
 * administrators cannot write; `npm run audit:verify -- --from-checkpoint checkpoint.json` later proves
 * the trail was only appended to since.
 */
import type { CheckpointsService } from '../plugins/audit-trail/server/src/services/checkpoints';
import { withCms } from './lib/cms-app';

withCms((strapi) => (strapi.plugin('audit-trail').service('checkpoints') as CheckpointsService).write({ reason: 'manual' })).then(
  (checkpoint) => {
    console.log(JSON.stringify(checkpoint, null, 2));
    process.exit(0);
  },
  (error: Error) => {
    console.error(`no checkpoint written: ${error.message}`);
    process.exit(1);
  }
);
