/** The entry format later readers rely on: canonical JSON, the hash it gives, and what redaction leaves. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, sha256 } from '../utils/canonical';
import { canonicalEntry, hashEntry, type EntryContent } from '../utils/entry';
import { REDACTED, scrubValue } from '../utils/redact';

const ENTRY: EntryContent = {
  seq: 1,
  occurredAt: '2026-12-02T12:00:00.000Z',
  actor: { kind: 'api-token', id: '7', name: 'partner', origin: 'content-api', ip: '127.0.0.1', userAgent: 'curl/8', requestId: null },
  action: 'update',
  contentType: 'api::artist.artist',
  documentId: 'abc',
  locale: 'en',
  outcome: 'success',
  error: null,
  diff: { before: { draft: { genre: null } }, after: { draft: { genre: 'Cumbia' } } },
  prevHash: GENESIS_HASH,
};

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: null, e: 'é' }], c: undefined } })).toBe('{"a":{"d":[3,{"e":"é","f":null}]},"b":1}');
  });

  it('gives an entry the documented form and a stable hash', () => {
    expect(canonicalEntry(ENTRY)).toBe(
      '{"action":"update","actor":{"id":"7","ip":"127.0.0.1","kind":"api-token","name":"partner","origin":"content-api","requestId":null,"userAgent":"curl/8"},' +
        '"contentType":"api::artist.artist","diff":{"after":{"draft":{"genre":"Cumbia"}},"before":{"draft":{"genre":null}}},"documentId":"abc","error":null,"locale":"en",' +
        `"occurredAt":"2026-12-02T12:00:00.000Z","outcome":"success","prevHash":"${GENESIS_HASH}","seq":1,"v":1}`
    );
    expect(hashEntry(ENTRY)).toBe(sha256(canonicalEntry(ENTRY)));
    expect(hashEntry({ ...ENTRY, seq: 2 })).not.toBe(hashEntry(ENTRY));
  });
});

describe('redaction', () => {
  it('hides sensitive members at any depth and emails and phone numbers inside text', () => {
    expect(scrubValue({ payload: { token: 'abc', nested: [{ password: 'x' }] }, note: 'Call +1 202 555 0123 or mail a.b@example.com' })).toEqual({
      payload: { token: REDACTED, nested: [{ password: REDACTED }] },
      note: `Call ${REDACTED} or mail ${REDACTED}`,
    });
    // Dates and plain numbers are not phone numbers.
    expect(scrubValue('2026-12-02T12:00:00.000Z, 1234567890')).toBe('2026-12-02T12:00:00.000Z, 1234567890');
  });
});
