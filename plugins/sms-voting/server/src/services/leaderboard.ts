import type { Core } from '@strapi/strapi';
import type { Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { TABLES } from '../utils/tables';
import type { Standings } from '../../../shared/contracts';
import { artistCard, type EventSummary } from './directory';

// Live streams hear about votes this often at most (per event and cms instance), however many arrive.
const PUBLISH_EVERY_MS = 100;

// A member that keeps a round's sorted set in existence when it has no votes yet.
const PLACEHOLDER = '~';

// How often a process counts the votes whose statements lost their connection, and how many at once.
const SETTLE_EVERY_MS = 2_000;
const SETTLE_BATCH = 500;

/**
 * Live standings: counted in Redis sorted sets (one per round) as votes commit, rebuilt from
 * PostgreSQL whenever Redis has lost them and whenever a round opens or closes. A vote whose
 * statement lost its database connection may have committed with nobody told: its id waits in
 * Redis (`unsettled`) until a process looks it up and counts it if it went in (`settle`).
 */
const createLeaderboard = ({ strapi }: { strapi: Core.Strapi }) => {
  const redis = () => getService(strapi, 'redis');
  // Announcements are coalesced per event: at most one every PUBLISH_EVERY_MS, the last one always sent.
  const announcing = new Map<string, NodeJS.Timeout>();
  const boardKey = (roundRef: string) => redis().key('board', roundRef);
  const updatesChannel = () => redis().key('board-updates');
  const unsettledKey = () => redis().key('unsettled-votes');
  let settling: NodeJS.Timeout | undefined;

  return {
    updatesChannel,

    /**
     * Votes (by their own ids: nothing personal) whose statement failed on a lost connection, so
     * they may or may not have committed. Never throws: with Redis away too they stay uncounted
     * on the live board until their round's next rebuild (its close at the latest).
     */
    async unsettled(voteIds: string[]) {
      await redis()
        .client()
        .rpush(unsettledKey(), ...voteIds)
        .catch((error) => strapi.log.warn(`sms-voting: ${voteIds.length} votes of unknown outcome not kept for counting: ${error}`));
    },

    /** Counts the unsettled votes that did commit (looked up in PostgreSQL); the others never happened. */
    async settle() {
      const ids = await redis().client().lpop(unsettledKey(), SETTLE_BATCH);
      if (!ids?.length) return 0;
      let votes: { event_ref: string; round_ref: string; entry_ref: string }[];
      try {
        votes = await strapi.db.connection(TABLES.votes).whereIn('document_id', ids).select('event_ref', 'round_ref', 'entry_ref');
      } catch (error) {
        await redis().client().rpush(unsettledKey(), ...ids);
        throw error;
      }
      for (const vote of votes) await this.recordVote(vote.event_ref, vote.round_ref, vote.entry_ref);
      return votes.length;
    },

    startSettling() {
      settling ??= setInterval(() => this.settle().catch((error) => strapi.log.warn(`sms-voting: settling votes failed: ${error}`)), SETTLE_EVERY_MS);
      settling.unref();
    },

    stopSettling() {
      clearInterval(settling);
      settling = undefined;
    },

    async recordVote(eventRef: string, roundRef: string, entryRef: string) {
      // Only into a board that exists: a missing board is rebuilt from PostgreSQL on the next read.
      await redis().client().incrementIfPresent(boardKey(roundRef), entryRef);
      if (announcing.has(eventRef)) return;
      const timer = setTimeout(() => {
        announcing.delete(eventRef);
        this.notifyChanged(eventRef).catch((error) => strapi.log.warn(`sms-voting: announce failed: ${error}`));
      }, PUBLISH_EVERY_MS);
      timer.unref();
      announcing.set(eventRef, timer);
    },

    /** Replaces a round's board with PostgreSQL's counts, atomically. */
    async rebuild(roundRef: string) {
      const counts = await getService(strapi, 'votes').countsFor(roundRef);
      const key = boardKey(roundRef);
      const scratch = `${key}:rebuild:${process.pid}:${Date.now()}`;
      const multi = redis().client().multi().zadd(scratch, 0, PLACEHOLDER);
      for (const [entryRef, votes] of counts) multi.zadd(scratch, votes, entryRef);
      await multi.rename(scratch, key).exec();
      return counts;
    },

    /** Votes per entry: from the round's board in Redis, rebuilt when missing; PostgreSQL's count while Redis is away. */
    async counts(roundRef: string): Promise<Map<string, number>> {
      let flat: string[];
      try {
        flat = await redis().client().zrange(boardKey(roundRef), 0, -1, 'WITHSCORES');
      } catch {
        return getService(strapi, 'votes').countsFor(roundRef);
      }
      if (flat.length === 0) return this.rebuild(roundRef);
      const counts = new Map<string, number>();
      for (let i = 0; i < flat.length; i += 2) if (flat[i] !== PLACEHOLDER) counts.set(flat[i], Number(flat[i + 1]));
      return counts;
    },

    async notifyChanged(eventRef: string) {
      await redis().client().publish(updatesChannel(), eventRef);
    },

    /** The current round's standings (the open round, else the last closed one), most votes first. */
    async currentStandings(event: EventSummary, language: Language = 'en'): Promise<Standings> {
      return (await this.standings(event, language))!;
    },

    /**
     * A round's standings, most votes first: the given round (by number; null when it has not opened),
     * else the current one.
     */
    async standings(event: EventSummary, language: Language = 'en', roundNumber?: number): Promise<Standings | null> {
      const directory = getService(strapi, 'directory');
      const round =
        roundNumber === undefined
          ? await directory.currentRound(event.documentId)
          : (await directory.rounds(event.documentId)).find((r) => r.number === roundNumber && r.state !== 'pending');
      if (roundNumber !== undefined && !round) return null;
      const lineup = await directory.lineup(event.documentId);
      const counts = round ? await this.counts(round.documentId) : new Map<string, number>();
      const entries = lineup
        .map((entry) => ({
          artist: artistCard(entry),
          code: entry.code,
          votes: counts.get(entry.documentId) ?? 0,
          order: entry.order,
        }))
        .sort((a, b) => b.votes - a.votes || a.order - b.order)
        .map(({ order: _order, ...entry }) => entry);
      return {
        event: { slug: event.slug, title: directory.titleOf(event, language) },
        round: round ? { number: round.number, title: round.title, state: round.state } : null,
        entries,
        totalVotes: entries.reduce((sum, entry) => sum + entry.votes, 0),
        updatedAt: new Date().toISOString(),
      };
    },

    /** Whether the public may see this event's results now. */
    isPublic(event: EventSummary) {
      if (event.resultsVisibility === 'public') return true;
      if (event.resultsVisibility === 'after_close') return event.phase === 'closed' || event.phase === 'archived';
      return false;
    },
  };
};

export type LeaderboardService = ReturnType<typeof createLeaderboard>;
export default createLeaderboard;
