/**
 * Locale formatting that is safe to ship to the browser: no dictionaries here, so an island that
 * imports these pulls in a few hundred bytes, not every string of the site.
 */

export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** BCP 47 tags handed to Intl for each locale. */
const intlTags: Record<Locale, string> = { en: 'en-US', es: 'es' };

export function intlTag(locale: Locale): string {
  return intlTags[locale];
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Replaces `{name}` placeholders with `params.name`; unknown placeholders are left as they are. */
export function interpolate(message: string, params: Record<string, string | number> = {}): string {
  return message.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** "1,234" in English, "1234" / "12.345" in Spanish. */
export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(intlTags[locale]).format(value);
}

/** `share` is 0..1; "42%" in English, "42 %" in Spanish. */
export function formatPercent(locale: Locale, share: number): string {
  return new Intl.NumberFormat(intlTags[locale], { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** The CLDR plural category of `count` ("one", "other", …) for `locale`. */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  return new Intl.PluralRules(intlTags[locale]).select(count);
}

/**
 * Picks `${key}.one` or `${key}.other` from `messages` for `count` and fills `{count}` with the
 * locale's number format. en and es only need "one" and "other".
 */
export function plural(locale: Locale, messages: Record<string, string>, key: string, count: number): string {
  const category = pluralCategory(locale, count);
  const message = messages[`${key}.${category}`] ?? messages[`${key}.other`] ?? key;
  return interpolate(message, { count: formatNumber(locale, count) });
}

function formatIn(locale: Locale, iso: string, options: Intl.DateTimeFormatOptions, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(intlTags[locale], { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(intlTags[locale], { ...options, timeZone: 'UTC' }).format(date);
  }
}

/**
 * Format an ISO instant for `locale` in the event's IANA time zone,
 * e.g. "Saturday, June 14, 2025 at 7:00 PM PDT". Falls back to UTC if the
 * zone is unknown, and to the raw string if the date is invalid.
 */
export function formatDateTime(locale: Locale, iso: string, timeZone = 'UTC'): string {
  return formatIn(
    locale,
    iso,
    { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
    timeZone,
  );
}

/** "June 14, 2025" / "14 de junio de 2025". */
export function formatDate(locale: Locale, iso: string, timeZone = 'UTC'): string {
  return formatIn(locale, iso, { year: 'numeric', month: 'long', day: 'numeric' }, timeZone);
}

/** "7:00 PM PDT" / "19:00 GMT-7". */
export function formatTime(locale: Locale, iso: string, timeZone = 'UTC'): string {
  return formatIn(locale, iso, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }, timeZone);
}

/** "7:00:05 PM" in the viewer's own zone: for "updated at" stamps shown in the browser. */
export function formatClock(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(intlTags[locale], { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(date);
}

export type MessagePart = { text: string; param?: undefined } | { param: string; text?: undefined };

/** Splits "Text {keyword} to {number}" into text and placeholder parts, so each part can be marked up. */
export function messageParts(message: string): MessagePart[] {
  return message
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map((part) => (/^\{\w+\}$/.test(part) ? { param: part.slice(1, -1) } : { text: part }));
}
