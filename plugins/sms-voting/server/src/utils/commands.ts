import type { Language } from './cms';

export type Command =
  | { kind: 'stop' }
  | { kind: 'start' }
  | { kind: 'yes' }
  | { kind: 'help' }
  | { kind: 'language'; language: Language }
  | { kind: 'join'; keyword: string; language?: Language }
  | { kind: 'vote'; code: string; language?: Language }
  | { kind: 'unknown' };

// The carrier-standard opt-out and opt-in words (CTIA), as Twilio handles them, and their Spanish
// counterparts (ALTO, INICIO and AYUDA are the ones carriers expect of Spanish programmes).
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'ALTO', 'PARAR', 'BAJA', 'CANCELAR']);
const START_WORDS = new Set(['START', 'UNSTOP', 'INICIO']);
// The answer to a join's invitation to news (utils/replies.ts `invite`); as START for the carrier too.
const YES_WORDS = new Set(['YES', 'SI']);
const HELP_WORDS = new Set(['HELP', 'INFO', 'AYUDA']);
const JOIN_WORDS: Record<string, Language> = { JOIN: 'en', UNIRSE: 'es', UNIRME: 'es' };
const VOTE_WORDS: Record<string, Language> = { VOTE: 'en', VOTAR: 'es', VOTO: 'es' };
const LANGUAGE_WORDS: Record<string, Language> = { ENGLISH: 'en', INGLES: 'en', ESPANOL: 'es', SPANISH: 'es' };

/**
 * Every word the router reads as a command: an event keyword or a vote code spelled like one would
 * never reach its event (the event wizard refuses them).
 */
const RESERVED_WORDS = new Set([
  ...STOP_WORDS,
  ...START_WORDS,
  ...YES_WORDS,
  ...HELP_WORDS,
  ...Object.keys(JOIN_WORDS),
  ...Object.keys(VOTE_WORDS),
  ...Object.keys(LANGUAGE_WORDS),
]);

export const isReservedWord = (word: string) => RESERVED_WORDS.has(normalizeText(word));

const CODE = /^[A-Z0-9]{1,10}$/;
const KEYWORD = /^[A-Z0-9]{2,20}$/;

/** Upper case, accents removed, whitespace collapsed: "  vote  2 " → "VOTE 2", "Español" → "ESPANOL". */
export const normalizeText = (body: string) =>
  body
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();

/**
 * What a fan's SMS asks for. A bare word that is not a command is a keyword or a vote code: the
 * caller decides which by looking it up (`candidates`).
 */
export function parseCommand(body: string): Command | { kind: 'word'; word: string } {
  const text = normalizeText(body);
  const [first = '', second, ...rest] = text.split(' ');
  if (rest.length === 0 && !second) {
    if (STOP_WORDS.has(first)) return { kind: 'stop' };
    if (START_WORDS.has(first)) return { kind: 'start' };
    if (YES_WORDS.has(first)) return { kind: 'yes' };
    if (HELP_WORDS.has(first)) return { kind: 'help' };
    if (first in LANGUAGE_WORDS) return { kind: 'language', language: LANGUAGE_WORDS[first] };
    if (CODE.test(first) || KEYWORD.test(first)) return { kind: 'word', word: first };
    return { kind: 'unknown' };
  }
  if (second && rest.length === 0) {
    if (first in JOIN_WORDS && KEYWORD.test(second)) return { kind: 'join', keyword: second, language: JOIN_WORDS[first] };
    if (first in VOTE_WORDS && CODE.test(second)) return { kind: 'vote', code: second, language: VOTE_WORDS[first] };
  }
  return { kind: 'unknown' };
}
