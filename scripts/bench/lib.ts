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
