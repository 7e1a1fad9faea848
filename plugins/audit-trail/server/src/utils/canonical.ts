import crypto from 'crypto';

/**
 * The canonical JSON of a value: object keys sorted by UTF-16 code units (JavaScript's default sort),
 * no whitespace, strings and numbers as JSON.stringify writes them, `undefined` members left out,
 * dates as ISO-8601 strings. For the values an entry holds (strings, integers, booleans, null, plain
 * objects and arrays) this is RFC 8785 (JCS), so any language can recompute an entry's hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value as object)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

export const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
