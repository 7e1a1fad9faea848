import { GENESIS_HASH } from './canonical';
import { contentOf, fromRow, hashEntry, type Entry, type EntryRow } from './entry';

export type ChainProblem = {
  seq: number;
  /**
   * `rewritten`: the chain is consistent but is not the one a signed checkpoint saw at this entry;
   * `signature`: a checkpoint's signature does not hold (forged, edited, or another key's).
   */
  kind: 'edited' | 'missing' | 'inserted' | 'reordered' | 'rewritten' | 'signature';
  reason: string;
};

export type ChainReport = { ok: true; verified: number; headHash: string } | { ok: false; verified: number; problem: ChainProblem };

/** How far from its place a moved entry is looked for (the entry it links to tells it, when already seen). */
const MOVE_WINDOW = 64;

/** The sequence number an entry was written with, when only its sequence number was changed. */
function originalPlace(entry: Entry, positions: Map<string, number>): number | undefined {
  const linked = positions.get(entry.prevHash) ?? (entry.prevHash === GENESIS_HASH ? 0 : undefined);
  const candidates = linked === undefined ? [] : [linked + 1];
  for (let distance = 1; distance <= MOVE_WINDOW; distance += 1) candidates.push(entry.seq - distance, entry.seq + distance);
  return candidates.find((seq) => seq > 0 && seq !== entry.seq && hashEntry({ ...contentOf(entry), seq }) === entry.hash);
}

export type ChainHead = { seq: number; hash: string };

/** A signed checkpoint the walk holds the chain to: the entry at `seq` must have `hash`. */
export type SignedHead = ChainHead & { label: string };

export type WalkOptions = {
  /** Where the retained chain starts: the last purged entry, as a signed checkpoint vouches for it (else entry 1). */
  start?: ChainHead;
  /** Checkpoints whose entries the chain must still hold. */
  signed?: SignedHead[];
};

/**
 * Walks the entries in sequence order and names the first that does not belong where it stands:
 * - edited: its content no longer hashes to its stored hash;
 * - reordered: it is intact, but it links to (and its hash was made for) another place in the chain;
 * - missing: a sequence number is absent, or the chain head recorded with the last append is beyond the last entry;
 * - inserted: it does not link to the entry before it, or it stands beyond the recorded chain head.
 */
export async function verifyChain(rows: AsyncIterable<EntryRow[]>, head: ChainHead | null, { start, signed = [] }: WalkOptions = {}): Promise<ChainReport> {
  // Each entry's hash → its sequence number: what lets a moved entry be told from an edited one.
  const positions = new Map<string, number>();
  const signedAt = new Map<number, SignedHead[]>();
  for (const checkpoint of signed) signedAt.set(checkpoint.seq, [...(signedAt.get(checkpoint.seq) ?? []), checkpoint]);
  let expectedSeq = start ? start.seq + 1 : 1;
  let previousHash = start ? start.hash : GENESIS_HASH;
  let verified = 0;
  const fail = (seq: number, kind: ChainProblem['kind'], reason: string): ChainReport => ({ ok: false, verified, problem: { seq, kind, reason } });

  for await (const batch of rows) {
    for (const row of batch) {
      const seq = Number(row.seq);
      if (seq > expectedSeq) {
        return fail(expectedSeq, 'missing', `entry ${expectedSeq} is missing (the next entry present is ${seq})`);
      }
      if (head && seq > head.seq) {
        return fail(seq, 'inserted', `entry ${seq} stands beyond the chain head recorded by the last append (${head.seq})`);
      }
      let entry: Entry;
      try {
        entry = fromRow(row);
      } catch (error) {
        return fail(seq, 'edited', `entry ${seq} cannot be read: ${(error as Error).message}`);
      }
      if (hashEntry(contentOf(entry)) !== entry.hash) {
        const writtenAs = originalPlace(entry, positions);
        if (writtenAs !== undefined) {
          return fail(seq, 'reordered', `entry ${seq} is intact but was written as entry ${writtenAs}`);
        }
        return fail(seq, 'edited', `entry ${seq}'s content does not match its hash`);
      }
      if (entry.prevHash !== previousHash) {
        return fail(seq, 'inserted', `entry ${seq} does not link to entry ${seq - 1} (its previous hash is not that entry's hash)`);
      }
      const unlike = signedAt.get(seq)?.find((checkpoint) => checkpoint.hash !== entry.hash);
      if (unlike) {
        return fail(seq, 'rewritten', `entry ${seq} is not the entry ${unlike.label} signed: the chain up to it was rewritten after that checkpoint`);
      }
      positions.set(entry.hash, seq);
      previousHash = entry.hash;
      expectedSeq = seq + 1;
      verified += 1;
    }
  }
  if (head && head.seq >= expectedSeq) {
    return fail(expectedSeq, 'missing', `entries ${expectedSeq} to ${head.seq} are missing (the chain head says ${head.seq} were written)`);
  }
  if (head && head.seq > 0 && head.hash !== previousHash) {
    return fail(head.seq, 'edited', `entry ${head.seq}'s hash differs from the chain head recorded when it was written`);
  }
  const beyond = signed.filter((checkpoint) => checkpoint.seq >= expectedSeq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond) {
    return fail(expectedSeq, 'missing', `the chain ends at entry ${expectedSeq - 1}, but ${beyond.label} signed entry ${beyond.seq}: entries were removed from its end`);
  }
  return { ok: true, verified, headHash: previousHash };
}
