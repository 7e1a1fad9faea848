/** UI strings and locale helpers for the site (English + Spanish). */

export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** BCP 47 tags handed to Intl for each locale. */
const intlTags: Record<Locale, string> = { en: 'en-US', es: 'es' };

const en = {
  'site.name': 'Ovation',
  'site.tagline': 'Live events where the crowd decides.',
  'nav.skip': 'Skip to content',
  'nav.language': 'Language',
  'locale.name': 'English',
  'home.title': 'Live and upcoming events',
  'home.intro': 'Join an event by text message, then vote each round from your phone.',
  'events.live': 'Live now',
  'events.upcoming': 'Upcoming',
  'events.join': 'Text {keyword} to join',
  'events.empty': 'No live or upcoming events right now. Check back soon!',
  'cms.unavailable.title': 'We’ll be right back',
  'cms.unavailable.body': 'We can’t load the events at the moment. Please try again in a minute.',
  'footer.note': 'Ovation — fan engagement for live events.',
} as const;

export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  'site.name': 'Ovation',
  'site.tagline': 'Eventos en vivo donde el público decide.',
  'nav.skip': 'Saltar al contenido',
  'nav.language': 'Idioma',
  'locale.name': 'Español',
  'home.title': 'Eventos en vivo y próximos',
  'home.intro': 'Únete a un evento por mensaje de texto y vota en cada ronda desde tu teléfono.',
  'events.live': 'En vivo',
  'events.upcoming': 'Próximamente',
  'events.join': 'Envía {keyword} para unirte',
  'events.empty': 'No hay eventos en vivo ni próximos en este momento. ¡Vuelve pronto!',
  'cms.unavailable.title': 'Volvemos enseguida',
  'cms.unavailable.body': 'No podemos cargar los eventos en este momento. Inténtalo de nuevo en un minuto.',
  'footer.note': 'Ovation — participación del público en eventos en vivo.',
};

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, es };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Translate `key`, replacing `{name}` placeholders with `params.name`. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message = dictionaries[locale][key] ?? dictionaries[defaultLocale][key];
  return message.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/**
 * URL path of a page in a locale. `path` is locale-neutral ("/", "/events/x"):
 * the default locale is unprefixed, others live under "/<locale>".
 */
export function localePath(locale: Locale, path = '/'): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  return locale === defaultLocale ? clean : `/${locale}${clean}`;
}

/**
 * Format an ISO instant for `locale` in the event's IANA time zone,
 * e.g. "Saturday, June 14, 2025 at 7:00 PM PDT". Falls back to UTC if the
 * zone is unknown, and to the raw string if the date is invalid.
 */
export function formatDateTime(locale: Locale, iso: string, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(intlTags[locale], { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(intlTags[locale], { ...options, timeZone: 'UTC' }).format(date);
  }
}
