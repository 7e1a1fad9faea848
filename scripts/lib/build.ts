import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createProgress, type Stage } from './progress.mjs';

export const REPO_DIR = path.resolve(__dirname, '..', '..');
const bin = (name: string) => path.join(REPO_DIR, 'node_modules', '.bin', name);

type Log = (line: string) => void;

/** One build: skipped while its stamp is newer than every source, or while nothing it depends on is rebuilt. */
export type BuildStep = Stage<void> & { sources: string[]; stamp: string; dependsOn?: string[] };

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

function run(command: string, args: string[], cwd: string) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: process.env });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}`))));
  });
}

export function pluginDirs(): string[] {
  const root = path.join(REPO_DIR, 'plugins');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')));
}

const pluginKey = (dir: string) => `build plugin ${path.basename(dir)}`;

// The estimates are first-run times on a busy 2-core machine; later runs use this machine's own.
/** The server side of everything the cms loads: workers' job catalogue, plugins, the cms. */
function serverSteps(): BuildStep[] {
  const workers = path.join(REPO_DIR, 'workers');
  const cms = path.join(REPO_DIR, 'cms');
  return [
    {
      key: 'build workers',
      label: 'Compile the workers',
      estimateMs: 15_000,
      sources: [path.join(workers, 'src'), path.join(workers, 'tsconfig.json')],
      stamp: path.join(workers, 'dist', '.stamp'),
      run: () => run(bin('tsc'), ['-p', 'tsconfig.json'], workers),
    },
    ...pluginDirs().map((plugin) => ({
      key: pluginKey(plugin),
      label: `Build the ${path.basename(plugin)} plugin`,
      estimateMs: 45_000,
      sources: [path.join(plugin, 'server'), path.join(plugin, 'admin'), path.join(plugin, 'shared'), path.join(plugin, 'package.json')],
      stamp: path.join(plugin, 'dist', '.stamp'),
      run: () => run('npm', ['run', 'build'], plugin),
    })),
    {
      key: 'build cms server',
      label: 'Compile the cms',
      estimateMs: 20_000,
      sources: [path.join(cms, 'src'), path.join(cms, 'config'), path.join(cms, 'tsconfig.json')],
      stamp: path.join(cms, 'dist', '.server-stamp'),
      run: async () => {
        // Strapi loads whatever is compiled, so a deleted route or controller must not live on in dist:
        // compile afresh (Strapi's preset keeps its incremental state in node_modules, blind to this).
        for (const output of ['src', 'config']) fs.rmSync(path.join(cms, 'dist', output), { recursive: true, force: true });
        await run(bin('tsc'), ['-p', 'tsconfig.json', '--incremental', 'false'], cms);
      },
    },
  ];
}

/** The admin panel: when its sources changed or a plugin is rebuilt (the panel bundles their admin code). */
function adminStep(): BuildStep {
  const cms = path.join(REPO_DIR, 'cms');
  return {
    key: 'build admin panel',
    label: 'Build the admin panel',
    estimateMs: 160_000,
    sources: [path.join(cms, 'src'), path.join(cms, 'config'), path.join(cms, 'package.json'), ...pluginDirs().map((dir) => path.join(dir, 'dist'))],
    stamp: path.join(cms, 'dist', 'build', '.stamp'),
    dependsOn: pluginDirs().map(pluginKey),
    run: () => run(bin('strapi'), ['build'], cms),
  };
}

/** The steps that have to run, in order: sources newer than the stamp, or a step they depend on runs. */
function stale(steps: BuildStep[]): BuildStep[] {
  const planned = new Set<string>();
  return steps.filter((step) => {
    const built = fs.existsSync(step.stamp) ? fs.statSync(step.stamp).mtimeMs : 0;
    const due = built < newestMtime(step.sources) || (step.dependsOn ?? []).some((key) => planned.has(key));
    if (due) planned.add(step.key);
    return due;
  });
}

/** Each build as a stage whose completion touches its stamp. */
const asStage = (step: BuildStep): Stage<void> => ({
  ...step,
  run: async () => {
    await step.run();
    fs.mkdirSync(path.dirname(step.stamp), { recursive: true });
    fs.writeFileSync(step.stamp, new Date().toISOString());
  },
});

/** What `buildServer` would build now, as stages for a caller that reports progress itself. */
export const planServerBuild = () => stale(serverSteps()).map(asStage);

/** What `buildAdmin` would build now (the server side too), as stages. */
export function planAdminBuild() {
  return stale([...serverSteps(), adminStep()]).map(asStage);
}

async function runAll(stages: Stage<void>[], log: Log) {
  const progress = createProgress({ total: stages.length, log });
  for (const stage of stages) await progress.run(stage);
}

/** Compiles the server side of everything the cms loads: workers' job catalogue, plugins, the cms. */
export async function buildServer({ log = console.log }: { log?: Log } = {}) {
  await runAll(planServerBuild(), log);
}

/** The admin panel (and, with it, the cms server): only when its sources or the plugins changed. */
export async function buildAdmin({ log = console.log }: { log?: Log } = {}) {
  await runAll(planAdminBuild(), log);
}
