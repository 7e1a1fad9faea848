import fs from 'fs';
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

/**
 * A run of a fixed number of requests, timed to its last answer. autocannon with `amount` reports
 * its duration at its next one-second tick after the last answer, so a run of a few seconds came out
 * up to a second long (15,000 votes at ~3,700/s measured as 2,990 or 3,740/s, by where the tick fell).
 */
export async function toLastAnswer(run: (answered: () => void) => Promise<autocannon.Result>): Promise<autocannon.Result> {
  const started = performance.now();
  let last = started;
  const result = await run(() => {
    last = performance.now();
  });
  return { ...result, duration: (last - started) / 1000 };
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
