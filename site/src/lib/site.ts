/**
 * Public origin of the site, from `SITE_URL` (e.g. https://ovation.example), read at
 * request time. Used for canonical and hreflang links, which should be absolute.
 * Without it, links stay root-relative: the request's Host header is not trusted.
 */
export function siteUrl(path: string): string {
  const origin = process.env.SITE_URL?.trim();
  if (!origin) return path;
  try {
    return new URL(path, origin).href;
  } catch {
    return path;
  }
}

export const DEFAULT_SMS_NUMBER = '+1 202 555 0100';

/** The number fans text to join, as printed ("+1 202 555 0100"), from `SMS_NUMBER`. */
export function smsNumber(): string {
  return process.env.SMS_NUMBER?.trim() || DEFAULT_SMS_NUMBER;
}

/** An `sms:` link that opens the phone's messages app with the keyword typed in. */
export function smsHref(keyword: string, number = smsNumber()): string {
  const digits = number.replace(/[^\d+]/g, '');
  return `sms:${digits}?body=${encodeURIComponent(keyword)}`;
}

/** Locale-neutral paths of the site's pages, in one place. */
export const paths = {
  home: () => '/',
  event: (slug: string) => `/events/${encodeURIComponent(slug)}`,
  live: (slug: string) => `/events/${encodeURIComponent(slug)}/live`,
  recap: (slug: string) => `/events/${encodeURIComponent(slug)}/recap`,
  screen: (slug: string) => `/events/${encodeURIComponent(slug)}/screen`,
  artist: (slug: string) => `/artists/${encodeURIComponent(slug)}`,
  post: (slug: string) => `/posts/${encodeURIComponent(slug)}`,
  vote: (token: string) => `/vote/${encodeURIComponent(token)}`,
};
