import { spawn, type ChildProcess } from 'child_process';
import { redisAnswers } from './redis';
import { freePort } from './ports';
import { killNow } from './processes';

/**
 * A redis-server of a test's own on a free port, to stop and start at will (fault injection) without
 * touching the Redis everything else uses. It keeps nothing on disk: a restart comes back empty.
 */
export async function startRedisServer() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(url, 200))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    await killNow(running);
  };

  await start();
  return { url, port, start, stop, restart: async () => (await stop(), start()) };
}

export type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;
