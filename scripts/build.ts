/** `npm run build`: workers, plugins, the cms (server and admin panel) and the site, for production. */
import { spawnSync } from 'child_process';
import path from 'path';
import { buildAdmin, REPO_DIR } from './lib/build';

async function main() {
  await buildAdmin();
  const site = spawnSync(path.join(REPO_DIR, 'node_modules', '.bin', 'astro'), ['build'], {
    cwd: path.join(REPO_DIR, 'site'),
    stdio: 'inherit',
  });
  if (site.status !== 0) process.exit(site.status ?? 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
