import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';
import autocannon from 'autocannon';
import { REPO_DIR } from '../lib/build';

export type LoadResult = {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
};

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the built cms (`strapi start`) with this environment and waits for /_health. */
export async function startCms(env: Record<string, string>, port: number): Promise<{ url: string; stop(): Promise<void>; process: ChildProcess }> {
  // BENCH_CMS_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the cms under load.
  const nodeArgs = (process.env.BENCH_CMS_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const strapiBin = fs.realpathSync(path.join(REPO_DIR, 'node_modules', '.bin', 'strapi'));
  const child = spawn(process.execPath, [...nodeArgs, strapiBin, 'start'], {
    cwd: path.join(REPO_DIR, 'cms'),
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ENV_PATH: path.join(REPO_DIR, 'cms', 'bench.none.env'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The cms exited while starting:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error(`The cms did not start:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

export function summarize(result: autocannon.Result): LoadResult {
  const ok = result['2xx'];
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    perSecond: Math.round((ok / result.duration) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

export function writeResult(name: string, result: unknown) {
  const dir = path.join(REPO_DIR, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export const machine = () => ({
  node: process.version,
  cpus: (require('os') as typeof import('os')).cpus().length,
  memoryGiB: Math.round((require('os') as typeof import('os')).totalmem() / 2 ** 30),
});
