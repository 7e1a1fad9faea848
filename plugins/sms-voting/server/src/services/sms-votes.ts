import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { fans, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { newDocumentId } from '../utils/ids';
import { template } from '../utils/replies';
import { TABLES } from '../utils/tables';
import type { InboundSms, Handled } from './inbound';

type Row = { reply: string; outcome: string; source: 'prior' | 'saved'; event_ref: string | null; round_ref: string | null; entry_ref: string | null };

/**
 * The busiest path of a live event, a vote by SMS, as one prepared statement on PostgreSQL. It returns
 * the stored reply of a MessageSid seen before (a Twilio retry); otherwise it finds the fan's most
 * recently joined event whose open round has this code, inserts the vote (once per fan per round) and
 * the inbound message with the reply in the fan's language, atomically. It returns no row when it has
 * nothing to say (an unknown fan, no open round, an unknown code): the general path answers those,
 * the same way on every database.
 */
const VOTE_SQL = `
WITH prior AS (
  SELECT reply, outcome FROM ${TABLES.inbound} WHERE message_sid = $1
), target AS (
  SELECT f.document_id AS fan_ref, f.language, a.event_ref, r.document_id AS round_ref, r.number AS round_number,
         l.document_id AS entry_ref, l.vote_code, artist.name AS artist_name
    FROM ${TABLES.fans} f
    JOIN ${TABLES.attendances} a ON a.fan_ref = f.document_id
    JOIN ${TABLES.rounds} r ON r.event_ref = a.event_ref AND r.status = 'open' AND (r.closes_at IS NULL OR r.closes_at > $4)
    JOIN ${TABLES.lineup} l ON l.event_ref = a.event_ref AND l.vote_code = $3
    LEFT JOIN LATERAL (
      SELECT name FROM ${TABLES.artists} WHERE document_id = l.artist_ref AND published_at IS NOT NULL LIMIT 1
    ) artist ON true
   WHERE f.phone_hash = $2 AND NOT EXISTS (SELECT 1 FROM prior)
   ORDER BY a.id DESC
   LIMIT 1
), vote AS (
  INSERT INTO ${TABLES.votes} (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
  SELECT $5, round_ref, event_ref, fan_ref, entry_ref, vote_code, 'sms', $4, $4, $4 FROM target
  ON CONFLICT (round_ref, fan_ref) DO NOTHING
  RETURNING id
), saved AS (
  INSERT INTO ${TABLES.inbound} (document_id, message_sid, from_hash, body, reply, outcome, created_at, updated_at, published_at)
  SELECT $6, $1, $2, $7,
         replace(replace(
           CASE WHEN EXISTS (SELECT 1 FROM vote)
                THEN CASE WHEN coalesce($8, t.language) = 'es' THEN $9 ELSE $10 END
                ELSE CASE WHEN coalesce($8, t.language) = 'es' THEN $11 ELSE $12 END END,
           '{artist}', coalesce(t.artist_name, t.vote_code)), '{round}', t.round_number::text),
         CASE WHEN EXISTS (SELECT 1 FROM vote) THEN 'voted' ELSE 'already_voted' END,
         $4, $4, $4
    FROM target t
  ON CONFLICT (message_sid) DO NOTHING
  RETURNING reply, outcome
)
SELECT reply, outcome, 'prior' AS source, NULL AS event_ref, NULL AS round_ref, NULL AS entry_ref FROM prior
UNION ALL
SELECT s.reply, s.outcome, 'saved', t.event_ref, t.round_ref, t.entry_ref FROM saved s CROSS JOIN target t`;

type PgClient = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }> };

const createSmsVotes = ({ strapi }: { strapi: Core.Strapi }) => {
  // A named statement is parsed and planned once per connection; each vote then sends only its values.
  const run = async (values: unknown[]) => {
    const client = (strapi.db.connection as Knex).client as unknown as {
      acquireConnection(): Promise<PgClient>;
      releaseConnection(connection: PgClient): Promise<void>;
    };
    const connection = await client.acquireConnection();
    try {
      return (await connection.query({ name: 'ovation_sms_vote', text: VOTE_SQL, values })).rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };

  return {
    supported() {
      return strapi.db.dialect.client === 'postgres';
    },

    async cast(sms: InboundSms, phone: string, code: string, language?: Language): Promise<Handled | null> {
      const phoneHash = fans(strapi).hashPhone(phone);
      const now = new Date();
      const [row] = await run([
        sms.messageSid,
        phoneHash,
        code.toUpperCase(),
        now,
        newDocumentId(),
        newDocumentId(),
        sms.body.slice(0, 320),
        language ?? null,
        template('es', 'voted'),
        template('en', 'voted'),
        template('es', 'alreadyVoted'),
        template('en', 'alreadyVoted'),
      ]);
      if (!row) return null;
      if (row.source === 'saved' && row.outcome === 'voted') {
        getService(strapi, 'leaderboard')
          .recordVote(row.event_ref as string, row.round_ref as string, row.entry_ref as string)
          .catch((error) => strapi.log.warn(`sms-voting: leaderboard update failed: ${error}`));
      }
      return { reply: row.reply, outcome: row.outcome };
    },
  };
};

export type SmsVotesService = ReturnType<typeof createSmsVotes>;
export default createSmsVotes;
