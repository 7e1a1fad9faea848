import type { Core } from '@strapi/strapi';
import type { EventDashboard, EventListItem } from '../../../shared/contracts';
import { knexFor } from '../utils/db';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { screenLink } from '../utils/replies';
import { TABLES } from '../utils/tables';

/** The columns `toListItem` reads. */
export const LIST_ITEM_COLUMNS = ['document_id', 'title', 'slug', 'phase', 'keyword', 'capacity', 'starts_at'];

/** An event row (English) as the admin's lists show it. */
export const toListItem = (row: Record<string, unknown>): EventListItem => ({
  documentId: row.document_id as string,
  title: row.title as string,
  slug: row.slug as string,
  phase: row.phase as EventListItem['phase'],
  keyword: (row.keyword as string | null) ?? null,
  capacity: (row.capacity as number | null) ?? null,
  startsAt: row.starts_at ? new Date(row.starts_at as string).toISOString() : null,
});

/** What the admin's live page shows for an event: attendance, votes per round, standings, review list. */
const createDashboard = ({ strapi }: { strapi: Core.Strapi }) => ({
  async events(): Promise<EventListItem[]> {
    const rows = await (await knexFor(strapi))(TABLES.events)
      .whereNotNull('published_at')
      .where({ locale: 'en' })
      .orderBy('starts_at', 'desc')
      .select(LIST_ITEM_COLUMNS);
    return rows.map(toListItem);
  },

  async event(documentId: string): Promise<EventDashboard | null> {
    const directory = getService(strapi, 'directory');
    directory.clear();
    const event = await directory.eventById(documentId);
    if (!event) return null;
    const rounds = await directory.rounds(documentId);
    const votes = (await (await knexFor(strapi))(TABLES.votes)
      .where({ event_ref: documentId })
      .groupBy('round_ref')
      .select('round_ref')
      .count({ votes: '*' })) as unknown as { round_ref: string; votes: number | string }[];
    const perRound = new Map(votes.map((row) => [row.round_ref, Number(row.votes)]));
    return {
      event: {
        documentId,
        slug: event.slug,
        title: directory.titleOf(event, 'en'),
        phase: event.phase,
        keyword: event.keyword,
        startsAt: event.startsAt?.toISOString() ?? null,
        capacity: event.capacity,
        resultsVisibility: event.resultsVisibility,
        screenUrl: screenLink(pluginConfig(strapi).siteUrl, event.slug),
      },
      attendance: await getService(strapi, 'attendance').count(documentId),
      rounds: await Promise.all(
        rounds.map(async (round) => ({
          documentId: round.documentId,
          number: round.number,
          title: round.title,
          state: round.state,
          opensAt: round.opensAt?.toISOString() ?? null,
          closesAt: round.closesAt?.toISOString() ?? null,
          votes: perRound.get(round.documentId) ?? 0,
          screenUrl: round.state === 'pending' ? null : screenLink(pluginConfig(strapi).siteUrl, event.slug, round.number),
          notifications: round.state === 'pending' ? null : await getService(strapi, 'rounds').notificationProgress(round.documentId),
        }))
      ),
      standings: await getService(strapi, 'leaderboard').currentStandings(event, 'en'),
      suspicious: await getService(strapi, 'abuse').list({ eventRef: documentId }),
    };
  },
});

export type DashboardService = ReturnType<typeof createDashboard>;
export default createDashboard;
