/** `npm run bench [-- voting | jobs | site | metrics | backup | audit | content | webhooks | two-factor]`: the platform's performance targets, each measured against a baseline of the same run. */
import { spawnSync } from 'child_process';
import path from 'path';
import { REPO_DIR } from '../lib/build';
import { benchAudit } from './audit';
import { benchBackup } from './backup';
import { benchContent } from './content';
import { benchJobs } from './jobs';
import { benchMetrics } from './metrics';
import { benchTwoFactor } from './two-factor';
import { benchVoting } from './voting';
import { benchWebhooks } from './webhooks';

/** Lighthouse on the site's recap and vote pages (site/scripts/lighthouse.ts), in its own process. */
async function benchSite() {
  const result = spawnSync(path.join(REPO_DIR, 'node_modules', '.bin', 'tsx'), [path.join(REPO_DIR, 'site', 'scripts', 'lighthouse.ts')], {
    cwd: REPO_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('The site benchmark failed or missed its targets');
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
