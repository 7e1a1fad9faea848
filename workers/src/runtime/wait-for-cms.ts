import type { Logger } from '../logger';

/**
 * Waits until the cms answers /_health. The cms migrates and syncs the schema at start; a worker
 * loading the same app at the same moment would race it (or lock the SQLite file), so it waits.
 */
export async function waitForCms(url: string, logger: Logger, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const response = await fetch(new URL('/_health', url), { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`The cms at ${url} did not become healthy in ${timeoutMs / 1000} s`);
    if (!announced) logger.info(`Waiting for the cms at ${url} …`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
