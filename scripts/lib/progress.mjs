// The progress lines of a long start (`npm run dev` on a fresh clone: install, builds, first boot):
// a line when a stage begins, with how long it should take, one every half minute while it runs, and
// one when it is done. Plain JavaScript, because the install stage runs before any dependency exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// How long each stage took last time on this machine (git-ignored, like Redis's data beside it).
const TIMINGS_FILE = path.join(REPO_DIR, '.data', 'timings.json');
const TICK_MS = 30_000;

/** "45 s", "2 min 40 s". */
export function formatDuration(ms) {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return rest ? `${Math.floor(seconds / 60)} min ${rest} s` : `${seconds / 60} min`;
}

function readTimings(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function remember(file, key, ms) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify({ ...readTimings(file), [key]: Math.round(ms) }, null, 2)}\n`);
  } catch {
    // An estimate is a courtesy: a read-only checkout still starts.
  }
}

/** What a stage should take here: its last duration on this machine, else the default measured on 2 cores. */
export function estimateOf(stage, timingsFile = TIMINGS_FILE) {
  return readTimings(timingsFile)[stage.key] ?? stage.estimateMs;
}

/**
 * Runs stages one after the other, numbered `[n/total]` when there are several. A stage is
 * `{ key, label, estimateMs, run }`: `label` says what it does ("Build the admin panel"), `run` does it.
 */
export function createProgress({ total = 1, log = console.log, timingsFile = TIMINGS_FILE } = {}) {
  let done = 0;
  return {
    async run(stage) {
      done += 1;
      const tag = total > 1 ? `[${done}/${total}] ` : '';
      const estimate = estimateOf(stage, timingsFile);
      log(`${tag}${stage.label}: about ${formatDuration(estimate)} …`);
      const started = Date.now();
      const ticker = setInterval(
        () => log(`${tag}${stage.label}: ${formatDuration(Date.now() - started)} so far (about ${formatDuration(estimate)} expected)`),
        TICK_MS
      );
      try {
        const result = await stage.run();
        const took = Date.now() - started;
        remember(timingsFile, stage.key, took);
        log(`${tag}${stage.label}: done in ${formatDuration(took)}`);
        return result;
      } finally {
        clearInterval(ticker);
      }
    },
  };
}
