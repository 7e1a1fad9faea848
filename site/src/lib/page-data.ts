/**
 * The data behind each page, loaded with its status code and cache policy. The English and Spanish
 * page files (src/pages/ and src/pages/es/) are thin: they call one of these and render a component.
 */
import type { AstroGlobal } from 'astro';
import { isSlug as isContractSlug } from '@ovation/plugin-sms-voting/contracts';
import type { Locale } from '../i18n';
import { ACTIVE_PHASES, getArtist, getEvent, resultsArePublic, getPost, listLiveAndUpcomingEvents, listPastEvents, listPostsAboutArtist } from './content';
import { loadPage, notFound, setCache, type Loaded } from './page';
import { loadRecap } from './recap';
import { joinQrSvg, screenOptions } from './screen';
import { readBoundedText } from './security';
import { problemStatus, type VoteProblem, type VoteReceipt } from './vote-types';
import { castVote, getBallot, getStandings, type BallotResult } from './voting';

/** Strapi uids: letters, digits and `-_.~`. Anything else cannot exist, so it is a 404 without asking the CMS. */
const isSlug = (slug: string | undefined): slug is string => isContractSlug(slug);

function withSlug<T>(astro: AstroGlobal, load: (slug: string) => Promise<Loaded<T>>): Promise<Loaded<T>> {
  const slug = astro.params.slug;
  return isSlug(slug) ? load(slug) : Promise.resolve(notFound(astro));
}

export function homePage(astro: AstroGlobal, locale: Locale) {
  return loadPage(astro, 'listing', async () => {
    const [current, past] = await Promise.all([listLiveAndUpcomingEvents(locale), listPastEvents(locale)]);
    return { current, past };
  });
}

export function eventPage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) => loadPage(astro, 'listing', () => getEvent(locale, slug)));
}

export function livePage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) =>
    loadPage(astro, 'live', async () => {
      const [event, standings] = await Promise.all([getEvent(locale, slug), getStandings(slug)]);
      return event ? { event, standings } : null;
    }),
  );
}

/**
 * The venue's big screen. Pinned to a round that has not opened yet, it waits for it (when the
 * event's results are public at all) rather than saying they are hidden.
 */
export function screenPage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) => {
    const options = screenOptions(astro.url.searchParams);
    if (!options) return Promise.resolve(notFound(astro));
    return loadPage(astro, 'live', async () => {
      const [event, standings] = await Promise.all([getEvent(locale, slug), getStandings(slug, options.round)]);
      if (!event) return null;
      const visible = standings.visible || (options.round !== undefined && resultsArePublic(event));
      // Joining is only offered while the event takes fans: not once it has ended.
      const joinable = event.keyword && (ACTIVE_PHASES as readonly string[]).includes(event.phase);
      const qr = joinable ? await joinQrSvg(event.keyword!) : undefined;
      return { event, options, visible, standings: standings.visible ? standings.standings : null, qr };
    });
  });
}

export function recapPage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) => loadPage(astro, 'content', () => loadRecap(locale, slug)));
}

export function artistPage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) =>
    loadPage(astro, 'content', async () => {
      const [artist, posts] = await Promise.all([getArtist(locale, slug), listPostsAboutArtist(locale, slug)]);
      return artist ? { artist, posts } : null;
    }),
  );
}

export function postPage(astro: AstroGlobal, locale: Locale) {
  return withSlug(astro, (slug) => loadPage(astro, 'content', () => getPost(locale, slug)));
}

export interface VotePageData {
  token: string;
  ballot: BallotResult;
  posted?: { receipt?: VoteReceipt; problem?: VoteProblem; choice?: string };
}

/**
 * A voting link. On GET, the ballot. On POST (the form, without JavaScript), casts the vote and
 * renders its outcome in the same response: the token is single-use, so there is nothing to
 * redirect back to.
 */
export async function votePage(astro: AstroGlobal): Promise<VotePageData> {
  setCache(astro, 'personal');
  const token = astro.params.token ?? '';
  const ballot = await getBallot(token);
  if (!ballot.ok) {
    astro.response.status = problemStatus(ballot.problem);
    return { token, ballot };
  }
  if (astro.request.method !== 'POST') return { token, ballot };

  // The form is url-encoded; its body is read within the site's limit (a longer one holds no vote).
  const text = await readBoundedText(astro.request);
  if (text === undefined) {
    astro.response.status = 413;
    return { token, ballot, posted: { problem: 'choice' } };
  }
  const choice = new URLSearchParams(text).get('choice');
  const result = await castVote(token, choice);
  if (result.ok) return { token, ballot, posted: { receipt: result.receipt } };
  astro.response.status = problemStatus(result.problem);
  if (result.retryAfter) astro.response.headers.set('Retry-After', result.retryAfter);
  return { token, ballot, posted: { problem: result.problem, choice: typeof choice === 'string' ? choice : undefined } };
}
