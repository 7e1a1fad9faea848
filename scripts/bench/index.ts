/** `npm run bench [-- voting …]`: the platform's performance targets, each measured against a baseline of the same run. */
import { benchVoting } from './voting';

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  voting: benchVoting,
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
