import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import readline from 'readline';

const COLORS = [36, 35, 33, 32, 34];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

/** Writes every line a child prints, prefixed with its name, so several logs stay readable together. */
export function pipeWithPrefix(child: ChildProcess, name: string, index: number) {
  const label = `[${name}]`.padEnd(10);
  const prefix = useColor ? `\x1b[${COLORS[index % COLORS.length]}m${label}\x1b[0m` : label;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  }
}

export type Managed = { name: string; child: ChildProcess };

/** Starts and supervises a set of processes: one stops unexpectedly, or Ctrl-C, and all stop. */
export function createSupervisor() {
  const managed: Managed[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const alive = managed.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const { child } of alive) child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (alive.some(({ child }) => child.exitCode === null && child.signalCode === null) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const { child } of alive) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    process.exit(code);
  };

  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  return {
    adopt(name: string, child: ChildProcess) {
      managed.push({ name, child });
      pipeWithPrefix(child, name, managed.length - 1);
      child.on('exit', (code, signal) => {
        if (stopping) return;
        console.error(`\n${name} stopped (${signal ?? `exit code ${code}`}); stopping the others.`);
        void stopAll(code || 1);
      });
      return child;
    },
    start(name: string, command: string, args: string[], options: SpawnOptions) {
      return this.adopt(name, spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
    },
    stopAll,
  };
}

/** Kills a test's own server process at once (SIGKILL, as a crash would) and waits for it to be gone. */
export async function killNow(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
