/**
 * Marketing email sign-ups (the crm plugin's double opt-in), server side: the forms on vote and
 * recap pages post here through the site's own endpoint, and the fan is told one of a few outcomes.
 */
import { EMAIL_API, EMAIL_CONSENT_TEXT, isPlausibleEmail, normaliseEmail, type SignupSource, type Subscribe } from '@ovation/plugin-crm/contracts';
import { CmsError, cmsRequest } from './cms';
import type { Locale } from '../i18n';

export type SignupOutcome = 'sent' | 'invalid' | 'unknown' | 'rateLimited' | 'unavailable';
export const SIGNUP_OUTCOMES: readonly SignupOutcome[] = ['sent', 'invalid', 'unknown', 'rateLimited', 'unavailable'];

/** The brand fans know the news by: the cms's BRAND_NAME, so the words shown are the words recorded. */
export const brandName = () => process.env.BRAND_NAME || 'Ovation';

/** The consent wording beside the field, exactly as the cms records it when the fan confirms. */
export const consentText = (locale: Locale) => EMAIL_CONSENT_TEXT[locale](brandName());

export async function signUpForEmail(request: { email: string; locale: Locale; source: SignupSource; token?: string; event?: string }): Promise<SignupOutcome> {
  const email = normaliseEmail(request.email);
  if (!isPlausibleEmail(email)) return 'invalid';
  const body: Subscribe.Request = { email, language: request.locale, source: request.source, ...(request.token ? { token: request.token } : {}), ...(request.event ? { event: request.event } : {}) };
  try {
    const answer = await cmsRequest(EMAIL_API.subscribe, { method: 'POST', json: body, timeoutMs: 8_000 });
    if (answer.status === 202) return 'sent';
    if (answer.status === 400) return 'invalid';
    if (answer.status === 404) return 'unknown';
    if (answer.status === 429) return 'rateLimited';
    console.error(`[site] email sign-up refused with ${answer.status}`);
    return 'unavailable';
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    console.error(`[site] ${err.message}`);
    return 'unavailable';
  }
}
