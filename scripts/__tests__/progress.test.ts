import fs from 'fs';
import os from 'os';
import path from 'path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatDuration } from '../lib/progress.mjs';

// The lines `npm run dev` prints per stage of a first start (install, builds, boot).
describe('progress of a long start', () => {
  let timingsFile: string;
  beforeEach(() => {
    timingsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-progress-')), 'timings.json');
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    fs.rmSync(path.dirname(timingsFile), { recursive: true, force: true });
  });

  it('says what each stage does and how long it should take, every half minute how long it has taken, and when it is done', async () => {
    const lines: string[] = [];
    const progress = createProgress({ total: 2, log: (line) => lines.push(line), timingsFile });
    const build = { key: 'build admin panel', label: 'Build the admin panel', estimateMs: 160_000, run: () => new Promise<void>((resolve) => setTimeout(resolve, 65_000)) };

    const first = progress.run(build);
    await vi.advanceTimersByTimeAsync(65_000);
    await first;

    expect(lines).toEqual([
      '[1/2] Build the admin panel: about 2 min 40 s …',
      '[1/2] Build the admin panel: 30 s so far (about 2 min 40 s expected)',
      '[1/2] Build the admin panel: 1 min so far (about 2 min 40 s expected)',
      '[1/2] Build the admin panel: done in 1 min 5 s',
    ]);
  });

  it("estimates a stage from this machine's last run of it, once there is one", async () => {
    const lines: string[] = [];
    const stage = { key: 'start', label: 'Start', estimateMs: 40_000, run: () => new Promise<void>((resolve) => setTimeout(resolve, 12_000)) };
    const first = createProgress({ log: () => undefined, timingsFile }).run(stage);
    await vi.advanceTimersByTimeAsync(12_000);
    await first;

    const second = createProgress({ log: (line) => lines.push(line), timingsFile }).run(stage);
    await vi.advanceTimersByTimeAsync(12_000);
    await second;
    expect(lines[0]).toBe('Start: about 12 s …');
  });

  it('reads durations as a person says them', () => {
    expect([400, 45_000, 60_000, 161_000, 240_000].map(formatDuration)).toEqual(['1 s', '45 s', '1 min', '2 min 41 s', '4 min']);
  });
});
