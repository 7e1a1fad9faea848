/**
 * The built site as a real server for browser tests and benchmarks: builds `dist/` when any source
 * is newer, then runs `node server.mjs` (Astro's build behind the fan's own address) on a free port
 * against a given CMS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SITE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(SITE_DIR, 'dist', 'server', 'entry.mjs');
const SERVER = path.join(SITE_DIR, 'server.mjs');
const SOURCES = ['src', 'public', 'astro.config.mjs', 'package.json', 'tsconfig.json'].map((p) => path.join(SITE_DIR, p));

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(target).filter((e) => e !== '__tests__').map((e) => newestMtime(path.join(target, e))));
}

/**
 * The environment without what vitest adds to it (NODE_ENV=test, DEV, PROD, MODE, SSR…): a build
 * that inherits those is a development build (React's dev JSX runtime, `import.meta.env.DEV`).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['NODE_ENV', 'DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL', 'TEST']) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  return env;
}

let building: Promise<void> | undefined;

/** `astro build`, unless dist is newer than every source. Once per process. */
export function buildSite(): Promise<void> {
  building ??= (async () => {
    const built = fs.existsSync(ENTRY) ? fs.statSync(ENTRY).mtimeMs : 0;
    if (built >= Math.max(...SOURCES.map(newestMtime))) return;
    const astro = path.join(SITE_DIR, '..', 'node_modules', '.bin', 'astro');
    const output: string[] = [];
    const env = { ...cleanEnv(), NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' };
    const child = spawn(astro, ['build'], { cwd: SITE_DIR, env });
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`astro build failed:\n${output.join('')}`);
  })();
  return building;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningSite {
  url: string;
  /** The server's process id (its memory is read from /proc). */
  pid: number;
  /** Everything the server printed, for failure messages. */
  logs: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the built site against `cmsUrl`; resolves once it answers. `port` restarts a site where a
 * stopped one was (browsers reconnecting to it).
 */
export async function startSite(
  cmsUrl: string,
  env: Record<string, string> = {},
  port?: number,
  { nodeArgs = [] }: { nodeArgs?: string[] } = {}
): Promise<RunningSite> {
  await buildSite();
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, SERVER], {
    cwd: SITE_DIR,
    env: {
      ...cleanEnv(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      CMS_URL: cmsUrl,
      SITE_URL: url,
      // The test run's uploads (the demo's pictures among them) are served by its S3 CDN.
      ...(process.env.S3_CDN_URL ? { MEDIA_ORIGINS: process.env.S3_CDN_URL } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`site exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const res = await fetch(`${url}/favicon.svg`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`site did not start on ${url}:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid!,
    logs: () => output.join(''),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
