import type { Language } from '../utils/cms';
import { VOTE_TOKEN } from '../../../shared/contracts';

type Params = Record<string, string | number>;

// Short enough for one SMS segment where the content allows (a voting link takes ~45 characters).
const MESSAGES = {
  en: {
    joined: "You're in for {event}! Round {round} is open: text {codes} or vote at {link} Reply STOP to opt out.",
    joinedWaiting: "You're in for {event}! We'll text you when voting opens. Reply STOP to opt out.",
    full: 'Sorry, {event} is full.',
    ended: '{event} has ended. Thanks for coming!',
    voted: 'Vote counted for {artist} in round {round}. Thanks!',
    alreadyVoted: 'You already voted in round {round}: one vote per round.',
    notJoined: 'Text an event keyword (like DEMO) to join first.',
    noOpenRound: "Voting isn't open right now. We'll text you when it opens.",
    unknownCode: '{code} is not on the lineup. Text {codes} to vote.',
    stopped: "You're unsubscribed and will get no more messages. Text START to opt back in.",
    started: "You're subscribed again. Text HELP for help, STOP to opt out.",
    help: 'Ovation: text an event keyword to join, then an act number to vote. STOP to opt out. Msg&data rates may apply.',
    unknown: "Sorry, we didn't get that. Text an event keyword to join, a number to vote, or HELP.",
    language: "OK, we'll text you in English.",
    invalidNumber: "Sorry, we can't accept messages from this number.",
    roundOpen: 'Round {round} of {event} is open! Text {codes} or vote at {link}',
    invite: 'Reply YES for news from {brand}.',
    newsOn: "Thanks, you'll get news from {brand}. Reply STOP to opt out.",
  },
  es: {
    joined: '¡Ya estás en {event}! La ronda {round} está abierta: envía {codes} o vota en {link} Envía ALTO para darte de baja.',
    joinedWaiting: '¡Ya estás en {event}! Te avisaremos cuando abra la votación. Envía ALTO para darte de baja.',
    full: 'Lo sentimos, {event} está lleno.',
    ended: '{event} ha terminado. ¡Gracias por venir!',
    voted: 'Voto registrado para {artist} en la ronda {round}. ¡Gracias!',
    alreadyVoted: 'Ya votaste en la ronda {round}: un voto por ronda.',
    notJoined: 'Primero envía la palabra clave de un evento (como DEMO) para unirte.',
    noOpenRound: 'La votación no está abierta ahora. Te avisaremos cuando abra.',
    unknownCode: '{code} no está en el cartel. Envía {codes} para votar.',
    stopped: 'Te diste de baja y no recibirás más mensajes. Envía INICIO para volver.',
    started: 'Te suscribiste de nuevo. Envía AYUDA para ayuda, ALTO para darte de baja.',
    help: 'Ovation: envía la palabra clave de un evento para unirte y el número de un artista para votar. ALTO para baja.',
    unknown: 'No entendimos. Envía la palabra clave de un evento, un número para votar o AYUDA.',
    language: 'De acuerdo, te escribiremos en español.',
    invalidNumber: 'Lo sentimos, no aceptamos mensajes de este número.',
    roundOpen: '¡La ronda {round} de {event} está abierta! Envía {codes} o vota en {link}',
    invite: 'Responde SI para recibir novedades de {brand}.',
    newsOn: 'Gracias, recibirás novedades de {brand}. Envía ALTO para darte de baja.',
  },
} as const;

/**
 * The invitation to marketing a join's reply ends with. Its version is recorded with a YES, beside the
 * hash of the exact text the fan was shown: a new wording is a new version.
 */
export const INVITE_VERSION = 'sms-invite-v1';
export const inviteText = (language: Language, brand: string) => reply(language, 'invite', { brand });

export type ReplyKey = keyof (typeof MESSAGES)['en'];

/** The reply with its `{placeholders}` left in (for replies composed by the database). */
export const template = (language: Language, key: ReplyKey): string => MESSAGES[language][key];

export function reply(language: Language, key: ReplyKey, params: Params = {}): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** "1-4" for a run of numbers, otherwise "A, B or C" — how a fan is told which codes to text. */
export function describeCodes(codes: string[], language: Language): string {
  const numbers = codes.map(Number);
  const consecutive =
    numbers.every(Number.isInteger) && numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1) && codes.length > 2;
  if (consecutive) return `${codes[0]}-${codes[codes.length - 1]}`;
  if (codes.length <= 1) return codes.join('');
  return `${codes.slice(0, -1).join(', ')} ${language === 'es' ? 'o' : 'or'} ${codes[codes.length - 1]}`;
}

export function voteLink(siteUrl: string, language: Language, token: string) {
  return `${siteUrl.replace(/\/$/, '')}${language === 'es' ? '/es' : ''}/vote/${token}`;
}

/** The event's big-screen view on the site (for a projector or an LED wall), pinned to a round when given. */
export function screenLink(siteUrl: string, slug: string, round?: number) {
  return `${siteUrl.replace(/\/$/, '')}/events/${encodeURIComponent(slug)}/screen${round ? `?round=${round}` : ''}`;
}

/**
 * Stands for the token in a voting link kept in storage (a reply, an outbox body): a person reading
 * it sees a masked link, and the link does not vote. Whoever sends the text again derives the token.
 */
export const MASKED_TOKEN = '••••••••';

const LINK_TOKEN = new RegExp(`/vote/${VOTE_TOKEN.source}`, 'g');
const MASKED_LINK = `/vote/${MASKED_TOKEN}`;

/** The text as it may be stored: every voting link in it masked. */
export const maskVoteLinks = (text: string) => text.replace(LINK_TOKEN, MASKED_LINK);

export const hasMaskedVoteLink = (text: string) => text.includes(MASKED_LINK);

/** The stored text as it is sent: its masked link carrying the token again. */
export const revealVoteLinks = (text: string, token: string) => text.split(MASKED_LINK).join(`/vote/${token}`);

/** TwiML for a reply to the sender (an empty response sends nothing). */
export function twiml(message: string | null) {
  if (!message) return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  const escaped = message.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}
