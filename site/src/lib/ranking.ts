/** Standard competition ranking ("1, 1, 3"): tied entries share a rank. Most votes first. */
export function rankEntries<T extends { votes: number }>(entries: readonly T[]): (T & { rank: number })[] {
  const sorted = [...entries].sort((a, b) => b.votes - a.votes);
  return sorted.map((entry, i) => ({
    ...entry,
    rank: i > 0 && entry.votes === sorted[i - 1]!.votes ? sorted.findIndex((e) => e.votes === entry.votes) + 1 : i + 1,
  }));
}

/** The entries in first place with at least one vote (several on a tie, none before any vote). */
export function leaders<T extends { votes: number }>(entries: readonly T[]): (T & { rank: number })[] {
  return rankEntries(entries).filter((entry) => entry.rank === 1 && entry.votes > 0);
}
