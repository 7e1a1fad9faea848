import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { groupCommit } from '../utils/group-commit';
import { newDocumentId, sha256 } from '../utils/ids';
import { pluginConfig } from '../utils/plugin-config';
import { TABLES } from '../utils/tables';

type Input = { tokenHash: string; code: string; voteId: string };
type Row = { vote_id: string; event_ref: string; round_ref: string; round_number: number; entry_ref: string; vote_code: string; created_at: Date };

/** A web vote the database accepted: the vote is committed and its token spent. */
export type AcceptedWebVote = { eventRef: string; roundRef: string; roundNumber: number; entryRef: string; code: string; createdAt: Date };

/**
 * A vote with a voting link, as one statement on PostgreSQL for every vote that arrives in the same
 * turn of the event loop (`groupCommit`). For a link that is unspent and unexpired, whose round is
 * open and not past its close, whose event is published and whose lineup has the code, it inserts
 * the vote (once per fan per round) and spends the token only if the vote went in, atomically. Two
 * uses of one link at once insert one vote: the second waits on the unique index and inserts nothing.
 * It returns no row for anything else (an unknown, spent or expired link, a closed round, an unknown
 * code, a fan who already voted): the general path answers those, the same way on every database.
 */
const VOTE_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS i(token_hash, code, vote_id)
), target AS (
  -- Each step a LATERAL with LIMIT 1 (every one is unique), so each input is looked up by its own
  -- index: a flattened join is planned from the tables' statistics, which right after a round's links
  -- are issued say the round has a handful, and scans them all for every batch.
  SELECT i.vote_id, t.id AS token_id, t.fan_ref, t.event_ref, t.round_ref, r.number AS round_number,
         l.document_id AS entry_ref, l.vote_code
    FROM input i
   CROSS JOIN LATERAL (
     SELECT id, fan_ref, event_ref, round_ref FROM ${TABLES.tokens}
      WHERE token_hash = i.token_hash AND used_at IS NULL AND (expires_at IS NULL OR expires_at > $4) LIMIT 1
   ) t
   CROSS JOIN LATERAL (
     SELECT number FROM ${TABLES.rounds}
      WHERE document_id = t.round_ref AND state = 'open' AND (closes_at IS NULL OR closes_at > $4) LIMIT 1
   ) r
   CROSS JOIN LATERAL (
     SELECT document_id, vote_code FROM ${TABLES.lineup} WHERE event_ref = t.event_ref AND vote_code = i.code LIMIT 1
   ) l
   WHERE EXISTS (SELECT 1 FROM ${TABLES.events} e WHERE e.document_id = t.event_ref AND e.published_at IS NOT NULL)
), vote AS (
  INSERT INTO ${TABLES.votes} (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
  SELECT vote_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, 'web', $4, $4, $4 FROM target
  ON CONFLICT (round_ref, fan_ref) DO NOTHING
  RETURNING document_id, created_at
), spent AS (
  -- By id from an array: a join here is planned as a scan of every token.
  UPDATE ${TABLES.tokens} SET used_at = $4, updated_at = $4
   WHERE id = ANY (ARRAY(SELECT t.token_id FROM target t JOIN vote v ON v.document_id = t.vote_id))
  RETURNING id
)
SELECT t.vote_id, t.event_ref, t.round_ref, t.round_number, t.entry_ref, t.vote_code, v.created_at
  FROM target t JOIN vote v ON v.document_id = t.vote_id`;

const createWebVotes = ({ strapi }: { strapi: Core.Strapi }) => {
  const submit = groupCommit<Input, Row>(strapi, {
    name: 'ovation_web_votes',
    text: VOTE_SQL,
    values: (inputs) => [inputs.map((input) => input.tokenHash), inputs.map((input) => input.code), inputs.map((input) => input.voteId), new Date()],
    inputOf: (row) => row.vote_id,
    keyOf: (input) => input.voteId,
  });

  /** The vote with this id as the statement returns it, null when it is not there. */
  const stored = async (voteId: string): Promise<Row | null> =>
    ((await strapi.db
      .connection(`${TABLES.votes} as v`)
      .join(`${TABLES.rounds} as r`, 'r.document_id', 'v.round_ref')
      .where('v.document_id', voteId)
      .first('v.document_id as vote_id', 'v.event_ref', 'v.round_ref', 'r.number as round_number', 'v.entry_ref', 'v.vote_code', 'v.created_at')) as Row | undefined) ?? null;

  return {
    /** On PostgreSQL, unless the configuration turns it off (SMS_VOTING_FAST_WEB_VOTES=false). */
    supported() {
      return strapi.db.dialect.client === 'postgres' && pluginConfig(strapi).fastWebVotes;
    },

    /** The vote when the statement accepted it; null when the general path must answer. */
    async cast(token: string, code: string): Promise<AcceptedWebVote | null> {
      const input = { tokenHash: sha256(token), code: code.toUpperCase(), voteId: newDocumentId() };
      let row: Row | null | undefined;
      try {
        row = await submit(input);
      } catch (error) {
        // A statement whose connection died has an unknown outcome: it may have committed with its
        // answer lost. The vote is looked for by its own id, so one that went in is answered and
        // counted; when it cannot be looked for either, the error stands (503: the retry will say
        // "already voted" if it went in) and the leaderboard settles it later.
        row = await stored(input.voteId).catch(() => undefined);
        if (row === undefined) await getService(strapi, 'leaderboard').unsettled([input.voteId]);
        if (!row) throw error;
      }
      if (!row) return null;
      return { eventRef: row.event_ref, roundRef: row.round_ref, roundNumber: Number(row.round_number), entryRef: row.entry_ref, code: row.vote_code, createdAt: new Date(row.created_at) };
    },
  };
};

export type WebVotesService = ReturnType<typeof createWebVotes>;
export default createWebVotes;
