import type { Core } from '@strapi/strapi';
import type { ArtistCard, EventPhase, ResultsVisibility, RoundState } from '../../../shared/contracts';
import { knexFor } from '../utils/db';
import type { Language } from '../utils/cms';
import { rowsOf } from '../utils/sql';
import { TABLES } from '../utils/tables';

export type EventSummary = {
  documentId: string;
  slug: string;
  keyword: string | null;
  phase: EventPhase;
  capacity: number | null;
  startsAt: Date | null;
  resultsVisibility: ResultsVisibility;
  titles: Partial<Record<Language, string>>;
};

export type RoundSummary = {
  documentId: string;
  eventRef: string;
  number: number;
  title: string | null;
  state: RoundState;
  opensAt: Date | null;
  closesAt: Date | null;
};

export type LineupEntry = {
  documentId: string;
  code: string;
  order: number;
  /** Null while the artist is not published: fans see the entry by its code alone. */
  artist: (ArtistCard & { documentId: string }) | null;
};

/** The entry's artist as fans see it (the contract's shape, without the row's id). */
export const artistCard = (entry: LineupEntry): ArtistCard | null =>
  entry.artist && { name: entry.artist.name, slug: entry.artist.slug, avatar: entry.artist.avatar };

const TTL_MS = 2000;

/**
 * Published events, their rounds and lineups, read on every vote: cached per process for two
 * seconds and dropped on any local write. Votes never trust the cache for whether a round is open:
 * the vote insert checks that in the database.
 */
const createDirectory = ({ strapi }: { strapi: Core.Strapi }) => {
  const cache = new Map<string, { expires: number; value: unknown }>();
  const knex = () => knexFor(strapi);

  // Only settled values are shared: a read inside a transaction must never wait on one outside it
  // (SQLite has a single connection).
  const cached = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as T;
    const value = await load();
    cache.set(key, { expires: Date.now() + TTL_MS, value });
    return value;
  };

  const loadEvent = async (column: 'keyword' | 'slug' | 'document_id', value: string): Promise<EventSummary | null> => {
    const rows = await (await knex())(TABLES.events)
      .select('document_id', 'slug', 'keyword', 'phase', 'capacity', 'starts_at', 'results_visibility', 'title', 'locale')
      .where(column, value)
      .whereNotNull('published_at');
    if (rows.length === 0) return null;
    const [first] = rows;
    return {
      documentId: first.document_id,
      slug: first.slug,
      keyword: first.keyword,
      phase: first.phase,
      capacity: first.capacity,
      startsAt: first.starts_at ? new Date(first.starts_at) : null,
      resultsVisibility: first.results_visibility,
      titles: Object.fromEntries(rows.map((row: { locale: string; title: string }) => [row.locale, row.title])),
    };
  };

  const toRound = (row: Record<string, unknown>): RoundSummary => ({
    documentId: row.document_id as string,
    eventRef: row.event_ref as string,
    number: Number(row.number),
    title: (row.title as string) ?? null,
    state: row.state as RoundSummary['state'],
    opensAt: row.opens_at ? new Date(row.opens_at as string) : null,
    closesAt: row.closes_at ? new Date(row.closes_at as string) : null,
  });

  return {
    clear() {
      cache.clear();
    },

    eventByKeyword(keyword: string) {
      return cached(`keyword:${keyword}`, () => loadEvent('keyword', keyword.toUpperCase()));
    },

    eventBySlug(slug: string) {
      return cached(`slug:${slug}`, () => loadEvent('slug', slug));
    },

    eventById(documentId: string) {
      return cached(`event:${documentId}`, () => loadEvent('document_id', documentId));
    },

    rounds(eventRef: string): Promise<RoundSummary[]> {
      return cached(`rounds:${eventRef}`, async () =>
        (await (await knex())(TABLES.rounds).select('*').where('event_ref', eventRef).orderBy('number')).map(toRound)
      );
    },

    async openRound(eventRef: string) {
      return (await this.rounds(eventRef)).find((round) => round.state === 'open') ?? null;
    },

    /** The round a leaderboard shows: the open one, else the last one that closed. */
    async currentRound(eventRef: string) {
      const rounds = await this.rounds(eventRef);
      return rounds.find((r) => r.state === 'open') ?? [...rounds].reverse().find((r) => r.state === 'closed') ?? null;
    },

    lineup(eventRef: string): Promise<LineupEntry[]> {
      return cached(`lineup:${eventRef}`, async () => {
        const rows = await rowsOf<Record<string, unknown>>(
          (await knex()).raw(
            // The avatar is Strapi's media relation (a morph row per artist row and field).
            `SELECT l.document_id, l.vote_code, l."order", a.document_id AS artist_id, a.name, a.slug,
                    f.url AS avatar_url, f.alternative_text AS avatar_alt
               FROM ${TABLES.lineup} l
               LEFT JOIN ${TABLES.artists} a ON a.document_id = l.artist_ref AND a.published_at IS NOT NULL
               LEFT JOIN ${TABLES.mediaLinks} m ON m.related_id = a.id AND m.related_type = 'api::artist.artist' AND m.field = 'avatar'
               LEFT JOIN ${TABLES.files} f ON f.id = m.file_id
              WHERE l.event_ref = ?
              ORDER BY l."order", l.vote_code, a.locale`,
            [eventRef]
          )
        );
        const entries = new Map<string, LineupEntry>();
        for (const row of rows) {
          if (entries.has(row.document_id as string)) continue; // one row per artist locale: the first will do
          entries.set(row.document_id as string, {
            documentId: row.document_id as string,
            code: row.vote_code as string,
            order: Number(row.order ?? 0),
            artist: row.artist_id
              ? {
                  documentId: row.artist_id as string,
                  name: row.name as string,
                  slug: row.slug as string,
                  avatar: row.avatar_url ? { url: row.avatar_url as string, alternativeText: (row.avatar_alt as string | null) ?? null } : null,
                }
              : null,
          });
        }
        return [...entries.values()];
      });
    },

    /**
     * A lineup entry the database just named (a vote's): from the cached lineup, read again when the
     * entry is newer than the cache; null for an entry deleted since.
     */
    async entryById(eventRef: string, documentId: string): Promise<LineupEntry | null> {
      const find = async () => (await this.lineup(eventRef)).find((entry) => entry.documentId === documentId);
      let entry = await find();
      if (!entry) {
        cache.delete(`lineup:${eventRef}`);
        entry = await find();
      }
      return entry ?? null;
    },

    async entryByCode(eventRef: string, code: string) {
      return (await this.lineup(eventRef)).find((entry) => entry.code === code.toUpperCase()) ?? null;
    },

    titleOf(event: EventSummary, language: Language) {
      return event.titles[language] ?? event.titles.en ?? Object.values(event.titles)[0] ?? event.slug;
    },
  };
};

export type DirectoryService = ReturnType<typeof createDirectory>;
export default createDirectory;
