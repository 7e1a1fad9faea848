import type { Core } from '@strapi/strapi';
import { outageOf } from '@ovation/workers/jobs';
import { afterCommit, knexFor } from '../utils/db';
import { newDocumentId } from '../utils/ids';
import { rowsOf } from '../utils/sql';
import { TABLES } from '../utils/tables';
import { getService } from '../utils/get-service';
import { isVoteToken } from '../../../shared/contracts';
import type { EventSummary, LineupEntry, RoundSummary } from './directory';
import type { TokenGrant } from './tokens';

export type CastVote = {
  fanRef: string;
  eventRef: string;
  roundRef: string;
  entry: LineupEntry;
  channel: 'sms' | 'web';
  /** A web vote spends its token in the same transaction. */
  tokenId?: number;
};

export type VoteOutcome =
  | { status: 'accepted'; id: number; createdAt: Date }
  | { status: 'already_voted' }
  | { status: 'round_closed' };

/** Whether a voting link may vote now, and if not why (each refusal is a status the API answers). */
export type BallotCheck =
  | { status: 'usable'; grant: TokenGrant; round: RoundSummary; event: EventSummary }
  | { status: 'unknown_token' | 'token_used' | 'round_closed' };

/** What a web vote's answer names of its round. */
export type VotedRound = Pick<RoundSummary, 'number' | 'eventRef'>;

export type WebVoteOutcome =
  | { status: 'accepted'; createdAt: Date; round: VotedRound; entry: LineupEntry }
  | { status: 'unknown_token' | 'token_used' | 'round_closed' | 'unknown_choice' }
  | { status: 'already_voted'; round: VotedRound };

class TokenAlreadyUsed extends Error {}

/**
 * Records a vote. The database decides: the insert only happens while the round is open (checked in
 * the same statement) and the unique index allows one vote per fan per round, however many arrive at
 * once. The leaderboard is told after the transaction commits.
 */
const createVotes = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * A voting link's state: usable while it is unspent, its round is open and not past its close, the
   * token has not expired and its event is published. The vote insert checks the round again.
   */
  async check(token: string): Promise<BallotCheck> {
    const directory = getService(strapi, 'directory');
    const grant = await getService(strapi, 'tokens').find(token);
    if (!grant) return { status: 'unknown_token' };
    if (grant.usedAt) return { status: 'token_used' };
    const round = (await directory.rounds(grant.eventRef)).find((r) => r.documentId === grant.roundRef);
    const event = await directory.eventById(grant.eventRef);
    const now = Date.now();
    const open =
      round?.state === 'open' && (!round.closesAt || round.closesAt.getTime() > now) && (!grant.expiresAt || grant.expiresAt.getTime() > now);
    if (!round || !open || !event) return { status: 'round_closed' };
    return { status: 'usable', grant, round, event };
  },

  /**
   * A vote with a voting link: on PostgreSQL one statement checks the link, casts the vote and spends
   * the link (services/web-votes.ts); whatever it does not accept, and every vote elsewhere, takes
   * the general path: the link checked, the choice found on the lineup, the vote cast with the token
   * spent in one transaction. The general path also words every refusal.
   */
  async castWithToken(token: string, choice: string): Promise<WebVoteOutcome> {
    const fast = getService(strapi, 'web-votes');
    if (fast.supported() && isVoteToken(token)) {
      const accepted = await fast.cast(token, choice);
      if (accepted) {
        // Counted first: the vote is committed, whatever happens to the rest of this answer.
        await afterCommit(strapi, 'leaderboard update', () => getService(strapi, 'leaderboard').recordVote(accepted.eventRef, accepted.roundRef, accepted.entryRef));
        // The receipt's artist is a nicety: a lookup that fails now (Redis or the database away) still
        // answers the committed vote 201, with the entry's code alone.
        const found = await getService(strapi, 'directory')
          .entryById(accepted.eventRef, accepted.entryRef)
          .catch((error: Error) => {
            strapi.log.warn(`vote receipt without its artist: ${error.message}`);
            return null;
          });
        const entry = found ?? {
          documentId: accepted.entryRef,
          code: accepted.code,
          order: 0,
          artist: null,
        };
        return { status: 'accepted', createdAt: accepted.createdAt, round: { number: accepted.roundNumber, eventRef: accepted.eventRef }, entry };
      }
    }
    const checked = await this.check(token);
    if (checked.status !== 'usable') return checked;
    const { grant, round } = checked;
    const entry = await getService(strapi, 'directory').entryByCode(grant.eventRef, choice);
    if (!entry) return { status: 'unknown_choice' };
    const outcome = await this.cast({ fanRef: grant.fanRef, eventRef: grant.eventRef, roundRef: round.documentId, entry, channel: 'web', tokenId: grant.id });
    if (outcome.status === 'accepted') return { status: 'accepted', createdAt: outcome.createdAt, round, entry };
    if (outcome.status === 'already_voted') return { status: 'already_voted', round };
    return outcome;
  },

  async cast(vote: CastVote): Promise<VoteOutcome | { status: 'token_used' }> {
    const voteId = newDocumentId();
    try {
      return await strapi.db.transaction(async ({ trx }) => {
        const now = new Date();
        const [inserted] = await rowsOf<{ id: number }>(
          trx.raw(
            `INSERT INTO ${TABLES.votes}
               (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
              WHERE EXISTS (
                SELECT 1 FROM ${TABLES.rounds}
                 WHERE document_id = ? AND state = 'open' AND (closes_at IS NULL OR closes_at > ?))
             ON CONFLICT (round_ref, fan_ref) DO NOTHING
             RETURNING id`,
            [
              voteId, vote.roundRef, vote.eventRef, vote.fanRef, vote.entry.documentId, vote.entry.code, vote.channel,
              now, now, now, vote.roundRef, now,
            ]
          )
        );

        if (!inserted) {
          const existing = await trx(TABLES.votes).where({ round_ref: vote.roundRef, fan_ref: vote.fanRef }).first('id');
          return { status: existing ? 'already_voted' : 'round_closed' } as const;
        }

        if (vote.tokenId !== undefined) {
          const spent = await trx(TABLES.tokens).where({ id: vote.tokenId }).whereNull('used_at').update({ used_at: now, updated_at: now });
          if (spent === 0) throw new TokenAlreadyUsed();
        }

        await afterCommit(strapi, 'leaderboard update', () =>
          getService(strapi, 'leaderboard').recordVote(vote.eventRef, vote.roundRef, vote.entry.documentId)
        );
        return { status: 'accepted', id: inserted.id, createdAt: now } as const;
      });
    } catch (error) {
      if (error instanceof TokenAlreadyUsed) return { status: 'token_used' };
      // A commit whose connection died may have gone through: the leaderboard counts it if it did.
      if (outageOf(error) === 'database') await getService(strapi, 'leaderboard').unsettled([voteId]);
      throw error;
    }
  },

  /** Votes per lineup entry in a round, counted in PostgreSQL: the truth the leaderboard is rebuilt from. */
  async countsFor(roundRef: string): Promise<Map<string, number>> {
    const rows = (await (await knexFor(strapi))(TABLES.votes)
      .where({ round_ref: roundRef })
      .groupBy('entry_ref')
      .select('entry_ref')
      .count({ votes: '*' })) as unknown as { entry_ref: string; votes: number | string }[];
    return new Map(rows.map((row) => [row.entry_ref, Number(row.votes)]));
  },
});

export type VotesService = ReturnType<typeof createVotes>;
export default createVotes;
