import type { Core } from '@strapi/strapi';
import { csvLine } from '@ovation/workers/jobs';
import type { Dashboard, DashboardEvent } from '../../../shared/contracts';
import { knexFor, TABLES } from '../utils/db';

/** The part of sms-voting's partner statistics (plugins/sms-voting services/stats.ts) read here: counts only. */
type EventStats = {
  event: { slug: string; titles: Record<string, string>; phase: string; startsAt: string | null };
  attendance: number;
  rounds: { number: number; title: string | null; state: string; votes: number; entries: { code: string; votes: number }[] }[];
};
type Stats = { event(slug: string): Promise<EventStats | null> };

const minuteOf = (at: Date | string | number) => new Date(Math.floor(new Date(at).getTime() / 60_000) * 60_000).toISOString();

/** Standard competition ranking (1, 2, 2, 4) of `votes` among every entry's votes; null before any vote. */
export function rankOf(votes: number, all: number[]) {
  if (all.every((count) => count === 0)) return null;
  return 1 + all.filter((count) => count > votes).length;
}

/**
 * An artist's results: for each published event they are on the lineup of, their votes, rank and
 * share per round, their votes per minute, and how many fans joined. Aggregates only: no fan's
 * phone, email or id is read into the answer.
 */
const createDashboard = ({ strapi }: { strapi: Core.Strapi }) => ({
  async of(artistRef: string): Promise<Dashboard> {
    const knex = await knexFor(strapi);
    const artist = (await knex(TABLES.artists).where({ document_id: artistRef }).whereNull('published_at').first('name', 'slug')) as { name: string; slug: string };
    const entries = (await knex(`${TABLES.lineup} as l`)
      .join(`${TABLES.events} as e`, 'e.document_id', 'l.event_ref')
      .where('l.artist_ref', artistRef)
      .whereNotNull('e.published_at')
      .where('e.locale', 'en')
      .orderBy('e.starts_at', 'desc')
      .select('l.document_id as entry_ref', 'l.vote_code', 'e.slug')) as { entry_ref: string; vote_code: string; slug: string }[];

    const stats = strapi.plugin('sms-voting').service('stats') as Stats;
    const events: DashboardEvent[] = [];
    for (const entry of entries) {
      const event = await stats.event(entry.slug);
      if (!event) continue;
      const times = (await knex(TABLES.votes).where({ entry_ref: entry.entry_ref }).orderBy('created_at').select('created_at')) as { created_at: Date | string }[];
      const perMinute = new Map<string, number>();
      for (const { created_at: at } of times) perMinute.set(minuteOf(at), (perMinute.get(minuteOf(at)) ?? 0) + 1);
      events.push({
        event: { slug: event.event.slug, title: event.event.titles.en ?? event.event.slug, startsAt: event.event.startsAt, phase: event.event.phase },
        code: entry.vote_code,
        fansJoined: event.attendance,
        rounds: event.rounds.map((round) => {
          const mine = round.entries.find((candidate) => candidate.code.toUpperCase() === entry.vote_code.toUpperCase())?.votes ?? 0;
          return {
            number: round.number,
            title: round.title,
            state: round.state,
            votes: mine,
            totalVotes: round.votes,
            share: round.votes > 0 ? mine / round.votes : 0,
            rank: rankOf(mine, round.entries.map((candidate) => candidate.votes)),
            entries: round.entries.length,
          };
        }),
        votesOverTime: [...perMinute].map(([minute, votes]) => ({ minute, votes })),
      });
    }
    return { artist, events };
  },
});

/** The dashboard's aggregates as CSV: one line per event and round. */
export function dashboardCsv(dashboard: Dashboard) {
  const lines = [['event', 'event_title', 'vote_code', 'fans_joined', 'round', 'round_title', 'votes', 'round_votes', 'share_percent', 'rank', 'entries']];
  for (const item of dashboard.events) {
    for (const round of item.rounds) {
      lines.push([
        item.event.slug,
        item.event.title,
        item.code,
        String(item.fansJoined),
        String(round.number),
        round.title ?? '',
        String(round.votes),
        String(round.totalVotes),
        (round.share * 100).toFixed(1),
        round.rank === null ? '' : String(round.rank),
        String(round.entries),
      ]);
    }
  }
  return lines.map(csvLine).join('');
}

export type DashboardService = ReturnType<typeof createDashboard>;
export default createDashboard;
