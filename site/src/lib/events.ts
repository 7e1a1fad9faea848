import type { Locale } from '../i18n';
import { CmsError, listLiveAndUpcomingEvents, type CmsEvent } from './cms';

export type LoadResult<T> = { ok: true; data: T } | { ok: false; error: CmsError };

/**
 * Live and upcoming events for a page. CMS failures are logged and returned
 * (the page renders a friendly 503); anything else is a bug and is rethrown.
 */
export async function loadLiveAndUpcoming(locale: Locale): Promise<LoadResult<CmsEvent[]>> {
  try {
    return { ok: true, data: await listLiveAndUpcomingEvents(locale) };
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    console.error(`[site] ${err.message}`);
    return { ok: false, error: err };
  }
}
