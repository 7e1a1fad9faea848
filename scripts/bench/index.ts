/** `npm run bench [-- voting | jobs | site | metrics | backup | audit | content | webhooks | two-factor | crm]`: the platform's performance targets, each measured against a baseline of the same run. */
import { spawnSync } from 'child_process';
import path from 'path';
import { REPO_DIR } from '../lib/build';
import { benchAudit } from './audit';
import { benchBackup } from './backup';
import { benchContent } from './content';
import { benchCrm } from './crm';
import { benchJobs } from './jobs';
import { benchMetrics } from './metrics';
import { benchTwoFactor } from './two-factor';
import { benchVoting } from './voting';
import { benchWebhooks } from './webhooks';

/**
 * The site, each script in its own process: Lighthouse on the event, recap and vote pages
 * (site/scripts/lighthouse.ts), and the big screen's memory over a simulated night
 * (site/scripts/screen-memory.ts). Both run; either missing its targets fails the benchmark.
 */
async function benchSite() {
  const failed = ['lighthouse.ts', 'screen-memory.ts'].filter((script) => {
    const result = spawnSync(path.join(REPO_DIR, 'node_modules', '.bin', 'tsx'), [path.join(REPO_DIR, 'site', 'scripts', script)], {
      cwd: REPO_DIR,
      stdio: 'inherit',
    });
    return result.status !== 0;
  });
  if (failed.length) throw new Error(`The site benchmark failed or missed its targets: ${failed.join(', ')}`);
}

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  voting: benchVoting,
  jobs: benchJobs,
  site: benchSite,
  metrics: benchMetrics,
  backup: benchBackup,
  audit: benchAudit,
  content: benchContent,
  webhooks: benchWebhooks,
  'two-factor': benchTwoFactor,
  crm: benchCrm,
};

async function main() {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const selected = names.length ? names : Object.keys(BENCHMARKS);
  for (const name of selected) {
    const run = BENCHMARKS[name];
    if (!run) {
      console.error(`Unknown benchmark "${name}". Available: ${Object.keys(BENCHMARKS).join(', ')}`);
      process.exit(1);
    }
    console.log(`\n== ${name}`);
    await run();
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
