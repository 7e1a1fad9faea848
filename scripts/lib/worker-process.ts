import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { REPO_DIR } from './build';

const MAIN = path.join(REPO_DIR, 'workers', 'dist', 'main.js');

/**
 * A real worker process (`node workers/dist/main.js`) on the test run's database, with the given
 * environment on top (its own Redis, a local Twilio, short leases), to kill and start again.
 */
export async function startWorkerProcess(env: Record<string, string>, { nodeArgs = [] }: { nodeArgs?: string[] } = {}) {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...process.env, WAIT_FOR_CMS: 'false', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Workers connected to Redis')) {
    if (child.exitCode !== null) throw new Error(`The worker exited while starting:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`The worker did not start:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    /** SIGKILL: no shutdown, no cleanup, as a crashed or evicted process. */
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 25_000).unref();
      }),
  };
}

export type WorkerProcess = Awaited<ReturnType<typeof startWorkerProcess>>;
