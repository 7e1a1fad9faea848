/** What a recap shows for each round: its final standings and winners, when results are public. */
import { CmsError } from './cms';
import { getEvent, resultsArePublic, type CmsEventDetail, type CmsRound } from './content';
import type { Locale } from '../i18n';
import type { Standings } from './vote-types';
import { leaders } from './ranking';
import { getStandings } from './voting';

export interface RecapRound {
  round: CmsRound;
  /**
   * Closed rounds only. 'unavailable': the results service failed (the rest of the recap still
   * shows). 'unpublished': the CMS serves the latest closed round's standings, not this one's.
   */
  standings?: Standings | 'unavailable' | 'unpublished';
  winners: Standings['entries'];
}

async function closedRoundStandings(slug: string, round: CmsRound): Promise<RecapRound['standings']> {
  try {
    const result = await getStandings(slug, round.number);
    if (!result.visible) return undefined;
    // Only trust standings that say they are this round's.
    return result.standings.round?.number === round.number ? result.standings : 'unpublished';
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    console.error(`[site] ${err.message}`);
    return 'unavailable';
  }
}

export async function loadRecap(locale: Locale, slug: string): Promise<{ event: CmsEventDetail; rounds: RecapRound[] } | null> {
  const event = await getEvent(locale, slug);
  if (!event) return null;
  const visible = resultsArePublic(event);
  const rounds = await Promise.all(
    event.rounds.map(async (round): Promise<RecapRound> => {
      if (!visible || round.state !== 'closed') return { round, winners: [] };
      const standings = await closedRoundStandings(slug, round);
      return { round, standings, winners: typeof standings === 'object' ? leaders(standings.entries) : [] };
    }),
  );
  return { event, rounds };
}
