/**
 * The formats of the voting API, written once: the server validates with them, masks links with
 * them and routes by them; the site checks input with them before asking the cms.
 */

/** Where the voting API is served (a plugin's content-API routes live under `/api/<plugin>`). */
export const VOTING_API = '/api/sms-voting';

/** Twilio's inbound-message webhook: the path its signature is computed over (with PUBLIC_URL). */
export const INBOUND_PATH = `${VOTING_API}/twilio/inbound`;

/**
 * A voting token as written in a link: URL-safe base64. Issued tokens are 24 characters (144 bits);
 * 16 to 64 are accepted, so a longer token a future release issues still reaches the server.
 */
export const VOTE_TOKEN = /[A-Za-z0-9_-]{16,64}/;
export const VOTE_TOKEN_LENGTH = { min: 16, max: 64 } as const;

/** A lineup's vote code (what a fan texts or picks on the ballot), case-insensitive. */
export const VOTE_CODE = /[A-Za-z0-9]{1,10}/;
export const VOTE_CODE_MAX_LENGTH = 10;

/** An event's or an artist's slug: the characters of Strapi's `uid` type, at most 200. */
export const SLUG = /[A-Za-z0-9\-_.~]{1,200}/;

/** The pattern as a whole string (anchored). */
export const whole = (pattern: RegExp) => new RegExp(`^(?:${pattern.source})$`);
const WHOLE_TOKEN = whole(VOTE_TOKEN);
const WHOLE_CODE = whole(VOTE_CODE);
const WHOLE_SLUG = whole(SLUG);

export const isVoteToken = (value: unknown): value is string => typeof value === 'string' && WHOLE_TOKEN.test(value);
export const isVoteCode = (value: unknown): value is string => typeof value === 'string' && WHOLE_CODE.test(value);
export const isSlug = (value: unknown): value is string => typeof value === 'string' && WHOLE_SLUG.test(value);
