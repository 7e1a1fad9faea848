/**
 * What the artist area's pages do on the server: read or post to the artist-portal routes as the
 * signed-in artist, and answer with a redirect (post/redirect/get), a problem, or the page's data.
 * Every form is plain HTML: the pages work without JavaScript.
 */
import type { AstroGlobal } from 'astro';
import type { ClaimPreview, Dashboard, MyProfile } from '@ovation/plugin-artist-portal/contracts';
import { localePath, t, type Locale } from '../i18n';
import { asArtist, cmsCall, hasSession, problemOf, signIn } from './artist-session';
import { CmsUnreachableError } from './cms';
import { setCache } from './page';
import { ARTIST_FORM_BYTES, readBoundedText } from './security';

export const artistPaths = {
  claim: (token: string) => `/artist/claim/${encodeURIComponent(token)}`,
  login: () => '/artist/login',
  profile: () => '/artist/profile',
  avatar: () => '/artist/avatar',
  dashboard: () => '/artist/dashboard',
  csv: () => '/artist/dashboard.csv',
  logout: () => '/artist/logout',
};

/** The largest form the profile page posts (two bios of 4,000 characters, percent-encoded). */
export const PROFILE_FORM_BYTES = 64 * 1024;

type Page<T> = { kind: 'page'; data: T } | { kind: 'redirect'; to: string } | { kind: 'unavailable' };

async function guarded<T>(astro: AstroGlobal, run: () => Promise<Page<T>>): Promise<Page<T>> {
  setCache(astro, 'personal');
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof CmsUnreachableError)) throw err;
    astro.response.status = 503;
    astro.response.headers.set('Retry-After', '30');
    return { kind: 'unavailable' };
  }
}

const field = (form: URLSearchParams, name: string) => form.get(name) ?? '';

/** A posted form (urlencoded), read no further than ARTIST_FORM_BYTES; null (and 413) when longer. */
async function postedForm(astro: AstroGlobal): Promise<URLSearchParams | null> {
  const text = await readBoundedText(astro.request, ARTIST_FORM_BYTES);
  if (text !== undefined) return new URLSearchParams(text);
  astro.response.status = 413;
  return null;
}
const TOO_LARGE = 'The form is too large';

export type ClaimView = { preview: ClaimPreview | null; problem?: string; values?: { username: string; email: string } };

/** `/artist/claim/<token>`: who the link is for; on post, the account, signed in, then the profile. */
export function claimPage(astro: AstroGlobal, locale: Locale, token: string) {
  return guarded<ClaimView>(astro, async () => {
    const path = `/api/artist-portal/claims/${encodeURIComponent(token)}`;
    const preview = await cmsCall(path);
    if (preview.status !== 200) {
      astro.response.status = preview.status === 409 || preview.status === 410 || preview.status === 404 ? preview.status : 400;
      const key = preview.status === 409 ? 'artist.claim.used' : preview.status === 410 ? 'artist.claim.expired' : 'artist.claim.invalid';
      return { kind: 'page', data: { preview: null, problem: t(locale, key) } };
    }
    const data = (preview.body as { data: ClaimPreview }).data;
    if (astro.request.method !== 'POST') return { kind: 'page', data: { preview: data } };

    const form = await postedForm(astro);
    if (!form) return { kind: 'page', data: { preview: data, problem: TOO_LARGE } };
    const input = { username: field(form, 'username').trim(), email: field(form, 'email').trim(), password: field(form, 'password') };
    if (input.password !== field(form, 'passwordConfirmation')) {
      astro.response.status = 400;
      return { kind: 'page', data: { preview: data, problem: t(locale, 'artist.claim.password.mismatch'), values: input } };
    }
    const claimed = await cmsCall(path, { method: 'POST', json: input });
    if (claimed.status !== 200) {
      astro.response.status = claimed.status >= 400 && claimed.status < 500 ? claimed.status : 503;
      return { kind: 'page', data: { preview: data, problem: problemOf(claimed), values: input } };
    }
    const session = await signIn(astro, { identifier: input.email, password: input.password });
    return { kind: 'redirect', to: localePath(locale, session.ok ? artistPaths.profile() : artistPaths.login()) };
  });
}

export type LoginView = { problem?: string; challenge?: string; identifier?: string };

/** `/artist/login`: password, then the code for an account with two-factor on. */
export function loginPage(astro: AstroGlobal, locale: Locale) {
  return guarded<LoginView>(astro, async () => {
    if (astro.request.method !== 'POST') return { kind: 'page', data: {} };
    const form = await postedForm(astro);
    if (!form) return { kind: 'page', data: { problem: TOO_LARGE } };
    const identifier = field(form, 'identifier').trim();
    const challenge = field(form, 'challenge') || undefined;
    const result = await signIn(astro, { identifier, password: field(form, 'password'), challenge, code: field(form, 'code').trim() });
    if (result.ok) return { kind: 'redirect', to: localePath(locale, artistPaths.profile()) };
    if ('challenge' in result) return { kind: 'page', data: { challenge: result.challenge, identifier } };
    astro.response.status = result.status === 429 ? 429 : 400;
    return { kind: 'page', data: { problem: result.status === 400 ? t(locale, 'artist.login.failed') : result.problem, identifier } };
  });
}

export type ProfileView = { profile: MyProfile; notice?: string; problem?: string };

/** The signed-in artist's profile, or a redirect to sign in. */
async function myProfile(astro: AstroGlobal, locale: Locale): Promise<Page<MyProfile>> {
  if (!hasSession(astro)) return { kind: 'redirect', to: localePath(locale, artistPaths.login()) };
  const answer = await asArtist(astro, '/api/artist-portal/me');
  if (answer.status === 401 || answer.status === 403) return { kind: 'redirect', to: localePath(locale, artistPaths.login()) };
  if (answer.status !== 200) throw new CmsUnreachableError(problemOf(answer), '/api/artist-portal/me');
  return { kind: 'page', data: (answer.body as { data: MyProfile }).data };
}

/** `/artist/profile`: the form, prefilled with the pending change (else what is published); on post, saved for review. */
export function profilePage(astro: AstroGlobal, locale: Locale) {
  return guarded<ProfileView>(astro, async () => {
    const notice = astro.url.searchParams.get('saved');
    const problem = astro.url.searchParams.get('problem') ?? undefined;
    if (astro.request.method === 'POST') {
      const form = await postedForm(astro);
      if (!form) return { kind: 'redirect', to: `${localePath(locale, artistPaths.profile())}?problem=${encodeURIComponent(TOO_LARGE)}` };
      const links = field(form, 'links')
        .split(/\s+/)
        .filter(Boolean)
        .map((url) => ({ url }));
      const answer = await asArtist(astro, '/api/artist-portal/me/profile', {
        method: 'PUT',
        json: { bio: { en: field(form, 'bioEn'), es: field(form, 'bioEs') }, genre: field(form, 'genre'), links },
      });
      if (answer.status === 401) return { kind: 'redirect', to: localePath(locale, artistPaths.login()) };
      if (answer.status === 200) return { kind: 'redirect', to: `${localePath(locale, artistPaths.profile())}?saved=profile` };
      const mine = await myProfile(astro, locale);
      if (mine.kind !== 'page') return mine;
      astro.response.status = answer.status >= 400 && answer.status < 500 ? answer.status : 503;
      return { kind: 'page', data: { profile: mine.data, problem: problemOf(answer) } };
    }
    const mine = await myProfile(astro, locale);
    if (mine.kind !== 'page') return mine;
    const saved = notice === 'profile' ? t(locale, 'artist.profile.saved') : notice === 'avatar' ? t(locale, 'artist.profile.avatar.saved') : undefined;
    return { kind: 'page', data: { profile: mine.data, notice: saved, problem } };
  });
}

/** `/artist/dashboard`: the signed-in artist's results. */
export function dashboardPage(astro: AstroGlobal, locale: Locale) {
  return guarded<Dashboard>(astro, async () => {
    if (!hasSession(astro)) return { kind: 'redirect', to: localePath(locale, artistPaths.login()) };
    const answer = await asArtist(astro, '/api/artist-portal/me/dashboard');
    if (answer.status === 401 || answer.status === 403) return { kind: 'redirect', to: localePath(locale, artistPaths.login()) };
    if (answer.status !== 200) throw new CmsUnreachableError(problemOf(answer), '/api/artist-portal/me/dashboard');
    return { kind: 'page', data: (answer.body as { data: Dashboard }).data };
  });
}
