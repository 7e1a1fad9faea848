import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import path from 'path';
import { REPO_DIR } from './build';

export type CmsProcess = { url: string; stop(): Promise<void>; process: ChildProcess; output(): string };

/** How much of the cms's output is kept. */
const OUTPUT_KEPT = 20_000;
const START_TIMEOUT_MS = 180_000;

/**
 * Starts the built cms (`strapi start`) on 127.0.0.1:`port` with this process's environment plus
 * `env`, less the variables named in `unset`, and waits for /_health. `nodeArgs` go to Node itself
 * (a benchmark's `--cpu-prof`); `keepOutput` is how many characters of its output `output()` keeps
 * (a test that reads every line it printed asks for Infinity).
 */
export async function startCms(
  env: Record<string, string>,
  port: number,
  { nodeArgs = [], unset = [], keepOutput = OUTPUT_KEPT }: { nodeArgs?: string[]; unset?: readonly string[]; keepOutput?: number } = {},
): Promise<CmsProcess> {
  const strapiBin = fs.realpathSync(path.join(REPO_DIR, 'node_modules', '.bin', 'strapi'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.includes(name)));
  const child = spawn(process.execPath, [...nodeArgs, strapiBin, 'start'], {
    cwd: path.join(REPO_DIR, 'cms'),
    env: {
      ...inherited,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // A file that does not exist: the process never reads a developer's cms/.env.
      ENV_PATH: path.join(REPO_DIR, 'cms', 'test', 'none.env'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk).slice(-keepOutput));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The cms exited while starting:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The cms did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return {
    url,
    process: child,
    /** The last of what it printed. */
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}
