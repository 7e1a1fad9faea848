/** UI strings and locale helpers for the site (English + Spanish). Server side: holds every string. */
import { en, type MessageKey } from './en';
import { es } from './es';
import { defaultLocale, interpolate, messageParts, plural, type Locale, type MessagePart } from './format';

export * from './format';
export type { MessageKey };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, es };

/** Translate `key`, replacing `{name}` placeholders with `params.name`. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return interpolate(dictionaries[locale][key] ?? dictionaries[defaultLocale][key], params);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** A message split around its placeholders, for marking some of them up (see `messageParts`). */
export function tParts(locale: Locale, key: MessageKey): MessagePart[] {
  return messageParts(dictionaries[locale][key] ?? dictionaries[defaultLocale][key]);
}

/** Plural message: `tn(locale, 'live.votes', 3)` picks `live.votes.other` → "3 votes". */
export function tn(locale: Locale, key: string, count: number): string {
  return plural(locale, dictionaries[locale], key, count);
}

/**
 * Every string whose key starts with `prefix`, for handing to a React island as a prop, so the
 * island ships only the strings it shows (and in the page's language).
 */
export function messages(locale: Locale, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(dictionaries[locale])) if (key.startsWith(prefix)) out[key] = value;
  return out;
}

/**
 * URL path of a page in a locale. `path` is locale-neutral ("/", "/events/x"):
 * the default locale is unprefixed, others live under "/<locale>".
 */
export function localePath(locale: Locale, path = '/'): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  return locale === defaultLocale ? clean : `/${locale}${clean}`;
}

/** The locale of a request path ("/es/events/x" → "es") and the locale-neutral path ("/events/x"). */
export function splitLocale(pathname: string): { locale: Locale; path: string } {
  const match = /^\/es(\/.*)?$/.exec(pathname);
  if (match) return { locale: 'es', path: match[1] || '/' };
  return { locale: defaultLocale, path: pathname || '/' };
}

/** "Round 1: Opening round", or "Round 1" when the round has no title. */
export function roundLabel(locale: Locale, round: { number: number; title?: string | null }): string {
  return round.title
    ? t(locale, 'event.round.labelTitled', { number: round.number, title: round.title })
    : t(locale, 'event.round.label', { number: round.number });
}
