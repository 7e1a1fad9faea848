/**
 * `npm run audit:verify [-- --from-checkpoint <file>]`: verifies the audit trail on the configured
 * database: every stored checkpoint's signature, then the hash chain from its oldest retained entry,
 * held to every checkpoint (and to the one in <file>, kept outside: a checkpoint JSON as served by
 * GET /api/audit-trail/checkpoints or printed by `npm run audit:checkpoint`). Prints what it verified,
 * or names the first entry or checkpoint that does not match and why, and exits 1 (2 if it could not run).
 */
import fs from 'fs';
import type { VerificationService } from '../plugins/audit-trail/server/src/services/verification';
import type { SignedCheckpoint } from '../plugins/audit-trail/server/src/utils/signing';
import { withCms } from './lib/cms-app';

function keptCheckpoint(argv: string[]): SignedCheckpoint | undefined {
  const at = argv.indexOf('--from-checkpoint');
  if (at === -1) return undefined;
  const file = argv[at + 1];
  if (!file) throw new Error('--from-checkpoint needs the file of a kept checkpoint');
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SignedCheckpoint>;
  const complete =
    Number.isSafeInteger(value.seq) && [value.hash, value.occurredAt, value.keyId, value.signature].every((member) => typeof member === 'string');
  if (!complete) throw new Error(`${file} is not a checkpoint: it needs seq, hash, occurredAt, keyId and signature`);
  return value as SignedCheckpoint;
}

async function main() {
  const kept = keptCheckpoint(process.argv.slice(2));
  const report = await withCms((strapi) => (strapi.plugin('audit-trail').service('verification') as VerificationService).verify({ kept }));
  if (report.ok) {
    const from = report.from > 1 ? ` (from entry ${report.from}: older ones purged by retention)` : '';
    const keptLine = report.kept === 'matched' ? `; the kept checkpoint of entry ${kept?.seq} matches` : report.kept === 'purged' ? `; the kept checkpoint's signature verifies (entry ${kept?.seq} has since been purged)` : '';
    console.log(`audit trail verified: ${report.verified} entries${from}, ${report.checkpoints} signed checkpoints, head ${report.headHash}${keptLine}`);
    return 0;
  }
  const { seq, kind, reason } = report.problem;
  console.error(`audit trail broken at entry ${seq} (${kind}): ${reason}; ${report.verified} entries before it verified`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`audit trail not verified: ${error.message}`);
    process.exit(2);
  }
);
