import type { Core } from '@strapi/strapi';
import type { EventStats } from '../../../shared/contracts';
import { knexFor } from '../utils/db';
import { getService } from '../utils/get-service';
import { TABLES } from '../utils/tables';

const minuteOf = (date: Date) => new Date(Math.floor(date.getTime() / 60_000) * 60_000).toISOString();

const createStats = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The published event `slug`'s attendance, votes per round and per lineup entry, and votes per minute; null when there is none. */
  async event(slug: string): Promise<EventStats | null> {
    const directory = getService(strapi, 'directory');
    const event = await directory.eventBySlug(slug);
    if (!event) return null;
    const knex = await knexFor(strapi);
    const [rounds, lineup, attendance, counts] = await Promise.all([
      directory.rounds(event.documentId),
      directory.lineup(event.documentId),
      getService(strapi, 'attendance').count(event.documentId),
      knex(TABLES.votes).where({ event_ref: event.documentId }).groupBy('round_ref', 'entry_ref').select('round_ref', 'entry_ref').count({ votes: '*' }) as unknown as Promise<
        { round_ref: string; entry_ref: string; votes: number | string }[]
      >,
    ]);
    const votesOf = (roundRef: string, entryRef?: string) =>
      counts.filter((row) => row.round_ref === roundRef && (entryRef === undefined || row.entry_ref === entryRef)).reduce((sum, row) => sum + Number(row.votes), 0);

    let perMinute: { minute: string; votes: number }[];
    if (strapi.db.dialect.client === 'postgres') {
      // The minute as ISO-8601 UTC text, made by PostgreSQL: no timestamp-without-zone parsed in the process's time zone.
      const rows = (await knex(TABLES.votes)
        .where({ event_ref: event.documentId })
        .select(knex.raw(`to_char(date_trunc('minute', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:00.000"Z"') AS minute`))
        .count({ votes: '*' })
        .groupByRaw('1')
        .orderByRaw('1')) as unknown as { minute: string; votes: number | string }[];
      perMinute = rows.map((row) => ({ minute: row.minute, votes: Number(row.votes) }));
    } else {
      // SQLite (development): the times, bucketed here.
      const buckets = new Map<string, number>();
      for (const { created_at: at } of (await knex(TABLES.votes).where({ event_ref: event.documentId }).select('created_at')) as { created_at: string | number }[]) {
        const minute = minuteOf(new Date(at));
        buckets.set(minute, (buckets.get(minute) ?? 0) + 1);
      }
      perMinute = [...buckets].sort(([a], [b]) => a.localeCompare(b)).map(([minute, votes]) => ({ minute, votes }));
    }

    return {
      event: { slug: event.slug, titles: event.titles as Record<string, string>, phase: event.phase, startsAt: event.startsAt?.toISOString() ?? null },
      attendance,
      votes: counts.reduce((sum, row) => sum + Number(row.votes), 0),
      rounds: rounds.map((round) => ({
        number: round.number,
        title: round.title,
        state: round.state,
        opensAt: round.opensAt?.toISOString() ?? null,
        closesAt: round.closesAt?.toISOString() ?? null,
        votes: votesOf(round.documentId),
        entries: lineup.map((entry) => ({
          code: entry.code,
          artist: entry.artist && { slug: entry.artist.slug, name: entry.artist.name },
          votes: votesOf(round.documentId, entry.documentId),
        })),
      })),
      votesPerMinute: perMinute,
    };
  },
});

export type StatsService = ReturnType<typeof createStats>;
export default createStats;
