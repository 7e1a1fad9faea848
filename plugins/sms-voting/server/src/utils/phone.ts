import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The number in E.164 when it is a real, dialable mobile or fixed-line number; otherwise null. */
export function normalizePhone(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim());
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Country calling codes where Spanish is the first language, for a first guess at a fan's language. */
const SPANISH_SPEAKING = new Set(['34', '52', '54', '56', '57', '58', '51', '593', '591', '595', '598', '502', '503', '504', '505', '506', '507', '53', '1809', '1829', '1849']);

export function guessLanguage(e164: string): 'en' | 'es' {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return 'en';
  const code = parsed.countryCallingCode;
  if (parsed.country === 'DO' || parsed.country === 'PR') return 'es';
  return SPANISH_SPEAKING.has(code) ? 'es' : 'en';
}

/** The number without its last four digits: many joins from one such prefix look like a burst. */
export const phonePrefix = (e164: string) => e164.slice(0, Math.max(4, e164.length - 4));
