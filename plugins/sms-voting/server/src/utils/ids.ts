import crypto from 'crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes drawn in blocks: one system call serves many ids on the voting path.
let pool = Buffer.alloc(0);
let offset = 0;
const randomBytes = (count: number) => {
  if (offset + count > pool.length) {
    pool = crypto.randomBytes(4096);
    offset = 0;
  }
  offset += count;
  return pool.subarray(offset - count, offset);
};

/** A document id in Strapi's shape (24 lower-case alphanumerics) for rows written without the Document Service. */
export function newDocumentId() {
  const bytes = randomBytes(24);
  let id = ALPHABET[bytes[0] % 26];
  for (let i = 1; i < 24; i += 1) id += ALPHABET[bytes[i] % ALPHABET.length];
  return id;
}

/**
 * A fan's voting token for a round: HMAC-SHA256 of the round and the fan with one of the app's keys,
 * 144 bits in URL-safe base64 (24 characters, within the contract's VOTE_TOKEN).
 */
export const deriveVoteToken = (key: string, roundRef: string, fanRef: string) =>
  crypto.createHmac('sha256', key).update(`vote-token:${roundRef}:${fanRef}`).digest().subarray(0, 18).toString('base64url');

export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

/**
 * How a person's identifier (a phone number, an address) is named in Redis: a hash keyed with the
 * app's first key, which a guess at the small space of numbers or IPv4 addresses cannot reverse.
 */
export const subjectKey = (appKeys: readonly string[], value: string) =>
  crypto.createHmac('sha256', appKeys[0]).update(`subject:${value}`).digest('hex').slice(0, 32);
