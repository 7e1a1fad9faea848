/**
 * The profile page's picture form (multipart): read up to AVATAR_FORM_BYTES (a longer body is
 * refused before it is buffered whole), passed to the CMS, which checks and re-encodes the picture.
 * Answers with a redirect back to the profile page, saying what happened.
 */
import type { APIRoute } from 'astro';
import { localePath, t, type Locale } from '../../i18n';
import { artistPaths } from '../../lib/artist-pages';
import { asArtist, problemOf } from '../../lib/artist-session';
import { CmsUnreachableError } from '../../lib/cms';
import { AVATAR_FORM_BYTES, readBoundedBytes } from '../../lib/security';

export const POST: APIRoute = async (astro) => {
  const bytes = await readBoundedBytes(astro.request, AVATAR_FORM_BYTES);
  const back = (locale: Locale, query: string) => astro.redirect(`${localePath(locale, artistPaths.profile())}?${query}`, 303);
  if (!bytes) return back('en', `problem=${encodeURIComponent(t('en', 'artist.profile.avatar.tooLarge'))}`);
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': astro.request.headers.get('content-type') ?? '' } }).formData().catch(() => null);
  const locale: Locale = form?.get('locale') === 'es' ? 'es' : 'en';
  const file = form?.get('avatar');
  if (!(file instanceof File)) return back(locale, `problem=${encodeURIComponent(t(locale, 'artist.profile.avatar.hint'))}`);
  const upload = new FormData();
  upload.set('avatar', file, file.name || 'avatar');
  try {
    const answer = await asArtist(astro, '/api/artist-portal/me/avatar', { method: 'POST', form: upload, timeoutMs: 30_000 });
    if (answer.status === 401 || answer.status === 403) return astro.redirect(localePath(locale, artistPaths.login()), 303);
    if (answer.status === 200) return back(locale, 'saved=avatar');
    const message = answer.status === 413 ? t(locale, 'artist.profile.avatar.tooLarge') : answer.status === 415 ? t(locale, 'artist.profile.avatar.hint') : problemOf(answer);
    return back(locale, `problem=${encodeURIComponent(message)}`);
  } catch (err) {
    if (!(err instanceof CmsUnreachableError)) throw err;
    return new Response(t(locale, 'artist.area.unavailable'), { status: 503, headers: { 'Retry-After': '30', 'content-type': 'text/plain; charset=utf-8' } });
  }
};
