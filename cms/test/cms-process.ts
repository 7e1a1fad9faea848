/**
 * A second cms instance, as `strapi start` runs it in production: its own process and port, the
 * test run's database, and settings of its own (defaults the shared test app lifts, proxy trust).
 * Several cms instances on one database is how Ovation scales, so this is an ordinary deployment.
 */
import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';
import { CMS_DIR, REPO_DIR, TEST_BUDGETS } from './environment';

export interface CmsProcess {
  url: string;
  logs: () => string;
  stop: () => Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Starts `strapi start` with the run's environment plus `env` (budgets back to their defaults unless given). */
export async function startCmsProcess(env: Record<string, string> = {}): Promise<CmsProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of TEST_BUDGETS) delete base[name];
  for (const key of Object.keys(base)) if (key.startsWith('VITEST')) delete base[key];
  const output: string[] = [];
  const child: ChildProcess = spawn(path.join(REPO_DIR, 'node_modules', '.bin', 'strapi'), ['start'], {
    cwd: CMS_DIR,
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), SERVE_ADMIN: 'false', SMS_VOTING_SCHEDULE_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cms exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/_health`, { signal: AbortSignal.timeout(1_000) })).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cms did not start on ${url}:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    url,
    logs: () => output.join(''),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
