import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';

export const REPO_DIR = path.resolve(__dirname, '..', '..');
const bin = (name: string) => path.join(REPO_DIR, 'node_modules', '.bin', name);

type Log = (line: string) => void;

/**
 * Newest modification time of any file or folder under these paths (skipping node_modules and build
 * output). Folders count because deleting a file changes only its folder's time.
 */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (target: string) => {
    if (!fs.existsSync(target)) return;
    const stat = fs.statSync(target);
    if (stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      for (const entry of fs.readdirSync(target)) {
        if (!['node_modules', 'dist', '.tmp', '.cache', '.strapi', 'build', '__tests__'].includes(entry)) {
          visit(path.join(target, entry));
        }
      }
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** Runs `step` unless `stamp` is newer than every source; then touches the stamp. */
function whenStale(name: string, sources: string[], stamp: string, log: Log, step: () => void) {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= newestMtime(sources)) return false;
  const started = Date.now();
  log(`building ${name} …`);
  step();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, new Date().toISOString());
  log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}`);
}

export function pluginDirs(): string[] {
  const root = path.join(REPO_DIR, 'plugins');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')));
}

/** Compiles the server side of everything the cms loads: workers' job catalogue, plugins, the cms. */
export async function buildServer({ log = console.log }: { log?: Log } = {}) {
  const workers = path.join(REPO_DIR, 'workers');
  whenStale('workers', [path.join(workers, 'src'), path.join(workers, 'tsconfig.json')], path.join(workers, 'dist', '.stamp'), log, () =>
    run(bin('tsc'), ['-p', 'tsconfig.json'], workers)
  );
  for (const plugin of pluginDirs()) {
    whenStale(`plugin ${path.basename(plugin)}`, [path.join(plugin, 'server'), path.join(plugin, 'admin'), path.join(plugin, 'package.json')], path.join(plugin, 'dist', '.stamp'), log, () =>
      run('npm', ['run', 'build'], plugin)
    );
  }
  const cms = path.join(REPO_DIR, 'cms');
  whenStale('cms server', [path.join(cms, 'src'), path.join(cms, 'config'), path.join(cms, 'tsconfig.json')], path.join(cms, 'dist', '.server-stamp'), log, () => {
    // Strapi loads whatever is compiled, so a deleted route or controller must not live on in dist:
    // compile afresh (Strapi's preset keeps its incremental state in node_modules, blind to this).
    for (const output of ['src', 'config']) fs.rmSync(path.join(cms, 'dist', output), { recursive: true, force: true });
    run(bin('tsc'), ['-p', 'tsconfig.json', '--incremental', 'false'], cms);
  });
}

/** The admin panel (and, with it, the cms server): only when its sources or the plugins changed. */
export async function buildAdmin({ log = console.log }: { log?: Log } = {}) {
  await buildServer({ log });
  const cms = path.join(REPO_DIR, 'cms');
  const sources = [path.join(cms, 'src'), path.join(cms, 'config'), path.join(cms, 'package.json'), ...pluginDirs().map((dir) => path.join(dir, 'dist'))];
  whenStale('admin panel', sources, path.join(cms, 'dist', 'build', '.stamp'), log, () =>
    run(bin('strapi'), ['build'], cms)
  );
}
