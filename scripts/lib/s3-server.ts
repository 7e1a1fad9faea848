import { spawn, type ChildProcess } from 'child_process';
import { freePort } from './ports';
import { killNow } from './processes';

/** What to install when no S3 server is on this machine (tests and benchmarks need a real one). */
export const S3_SERVER_HINT = "moto_server was not found: install it with `pip install 'moto[server]'` (moto 5), or set S3_SERVER_BIN";

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(500) })).status < 500;
  } catch {
    return false;
  }
};

/**
 * A real S3 server of a test's own (moto_server, in memory) on a free port, to stop and start at
 * will (fault injection): a restart comes back empty. Buckets are made with `createBucket`.
 * The credentials are any non-empty pair; moto checks signatures' form, not their keys.
 */
export async function startS3Server() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const bin = process.env.S3_SERVER_BIN || 'moto_server';
  let child: ChildProcess | undefined;

  const start = async () => {
    const output: string[] = [];
    child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const spawned = child;
    const missing = new Promise<never>((_, reject) => spawned.once('error', () => reject(new Error(S3_SERVER_HINT))));
    missing.catch(() => undefined);
    spawned.stdout?.on('data', (chunk) => output.push(String(chunk)));
    spawned.stderr?.on('data', (chunk) => output.push(String(chunk)));
    const deadline = Date.now() + 20_000;
    while (!(await Promise.race([answers(endpoint), missing]))) {
      if (spawned.exitCode !== null || Date.now() > deadline) throw new Error(`moto_server did not start on port ${port}:\n${output.join('').slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    await killNow(running);
  };

  /** Creates a bucket (path style: PUT /<bucket>); an existing one is left as it is. */
  const createBucket = async (bucket: string) => {
    const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
    if (res.status >= 300 && res.status !== 409) throw new Error(`could not create bucket ${bucket}: ${res.status} ${await res.text()}`);
  };

  /** Freezes the server (SIGSTOP): connections are still accepted by the kernel, nothing answers. */
  const pause = () => void child?.kill('SIGSTOP');
  const resume = () => void child?.kill('SIGCONT');

  await start();
  return {
    endpoint,
    port,
    /** The environment that points Ovation's S3 settings at this server. */
    env: (bucket: string) => ({
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'test',
      S3_SECRET_ACCESS_KEY: 'test',
      S3_FORCE_PATH_STYLE: 'true',
      S3_BUCKET: bucket,
    }),
    createBucket,
    start,
    stop,
    pause,
    resume,
    restart: async () => (await stop(), start()),
  };
}

export type S3Server = Awaited<ReturnType<typeof startS3Server>>;
