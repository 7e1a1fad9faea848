/**
 * `POST /api/email-signup` (a plain form: email, locale, source, token or event): asks the cms to
 * send the confirmation email, then sends the fan back to the page they were on with the outcome
 * (`?email=sent#email-signup`), so the form works without JavaScript and a reload posts nothing again.
 */
import type { APIRoute } from 'astro';
import { localePath, type Locale } from '../../i18n';
import { signUpForEmail } from '../../lib/email-signup';
import { readBoundedText } from '../../lib/security';
import { paths } from '../../lib/site';
import { isPlausibleToken } from '../../lib/voting';

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

export const POST: APIRoute = async ({ request }) => {
  const text = await readBoundedText(request);
  if (text === undefined) return new Response('Too large', { status: 413 });
  const form = new URLSearchParams(text);
  const locale: Locale = form.get('locale') === 'es' ? 'es' : 'en';
  const token = form.get('token') ?? '';
  const event = form.get('event') ?? '';
  const source = form.get('source') === 'vote-page' ? 'vote-page' : 'recap-page';
  // Back to where the form was: only this site's vote and recap pages, never a URL the post names.
  const back = source === 'vote-page' && isPlausibleToken(token) ? paths.vote(token) : SLUG.test(event) ? paths.recap(event) : '/';
  const outcome =
    back === '/'
      ? 'unknown'
      : await signUpForEmail({ email: form.get('email') ?? '', locale, source, ...(source === 'vote-page' ? { token } : { event }) });
  return new Response(null, { status: 303, headers: { location: `${localePath(locale, back)}?email=${outcome}#email-signup`, 'cache-control': 'no-store' } });
};
