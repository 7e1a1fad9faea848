import { spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';
import { REPO_DIR } from './build';

/** True when something at this Redis URL answers PING. */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')));
  });
}

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);

export class RedisUnavailableError extends Error {}

/**
 * Makes sure Redis answers at `url`. If nothing does and it is a local address, starts the installed
 * redis-server with its data under .data/redis (git-ignored); otherwise says how to get one.
 */
export async function ensureRedis(url: string): Promise<ChildProcess | undefined> {
  if (await redisAnswers(url)) return undefined;
  const installed = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!isLocal(url) || !installed) {
    throw new RedisUnavailableError(
      [
        `Redis is not answering at ${url}${installed ? '' : ', and redis-server is not installed'}.`,
        'Ovation needs Redis for its queues, leaderboards and rate limits. Install it and run `npm run dev` again:',
        '  Debian/Ubuntu: sudo apt-get install redis-server',
        '  macOS:         brew install redis',
        '  Docker:        docker run -d -p 6379:6379 redis:7',
        'or point REDIS_URL at a Redis you already run.',
      ].join('\n')
    );
  }

  const dir = path.join(REPO_DIR, '.data', 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = new URL(url).port || '6379';
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new RedisUnavailableError(`redis-server did not start on port ${port} (data in ${dir})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}
