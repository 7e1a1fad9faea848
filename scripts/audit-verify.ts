/**
 * `npm run audit:verify`: walks the audit trail's hash chain on the configured database and prints
 * the number of entries verified, or names the first entry that does not match and why (edited,
 * missing, inserted, reordered) and exits 1.
 */
import type { LedgerService } from '../plugins/audit-trail/server/src/services/ledger';
import { withCms } from './lib/cms-app';

withCms(async (strapi) => (strapi.plugin('audit-trail').service('ledger') as LedgerService).verify()).then(
  (report) => {
    if (report.ok) {
      console.log(`audit trail verified: ${report.verified} entries, head ${report.headHash}`);
      process.exit(0);
    }
    const { seq, kind, reason } = report.problem;
    console.error(`audit trail broken at entry ${seq} (${kind}): ${reason}; ${report.verified} entries before it verified`);
    process.exit(1);
  },
  (error: Error) => {
    console.error(`audit trail not verified: ${error.message}`);
    process.exit(2);
  }
);
