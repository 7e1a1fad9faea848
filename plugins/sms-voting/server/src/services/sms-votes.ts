import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { fans, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { newDocumentId } from '../utils/ids';
import { pluginConfig } from '../utils/plugin-config';
import { template } from '../utils/replies';
import { TABLES } from '../utils/tables';
import type { InboundSms, Handled } from './inbound';

type Row = { sid: string; reply: string; outcome: string; source: 'prior' | 'saved'; event_ref: string | null; round_ref: string | null; entry_ref: string | null };
type Input = { sid: string; phoneHash: string; code: string; voteId: string; inboundId: string; body: string; language: Language | null };
type Pending = { input: Input; resolve(row: Row | undefined): void; reject(error: unknown): void };

/**
 * The busiest path of a live event, a vote by SMS, as one prepared statement on PostgreSQL for every
 * vote that arrives in the same turn of the event loop (one commit for them all: group commit).
 * For each message it returns the stored reply of a MessageSid seen before (a Twilio retry);
 * otherwise it finds the fan's most recently joined event whose open round has the code, inserts the
 * vote (once per fan per round) and the inbound message with the reply in the fan's language,
 * atomically (a vote's reply carries no voting link, so it is stored as it is sent). It returns no
 * row for a message it has nothing to say about (an unknown fan, no open round, an unknown code):
 * the general path answers those, the same way on every database.
 */
const VOTE_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    AS i(sid, phone_hash, code, vote_id, inbound_id, body, lang)
), prior AS (
  SELECT i.sid, p.reply, p.outcome FROM input i JOIN ${TABLES.inbound} p ON p.message_sid = i.sid
), target AS (
  SELECT i.*, t.*
    FROM input i
   CROSS JOIN LATERAL (
     SELECT f.document_id AS fan_ref, f.language, a.event_ref, r.document_id AS round_ref, r.number AS round_number,
            l.document_id AS entry_ref, l.vote_code, artist.name AS artist_name
       FROM ${TABLES.fans} f
       JOIN ${TABLES.attendances} a ON a.fan_ref = f.document_id
       JOIN ${TABLES.rounds} r ON r.event_ref = a.event_ref AND r.state = 'open' AND (r.closes_at IS NULL OR r.closes_at > $8)
       JOIN ${TABLES.lineup} l ON l.event_ref = a.event_ref AND l.vote_code = i.code
       LEFT JOIN LATERAL (
         SELECT name FROM ${TABLES.artists} WHERE document_id = l.artist_ref AND published_at IS NOT NULL LIMIT 1
       ) artist ON true
      WHERE f.phone_hash = i.phone_hash
      ORDER BY a.id DESC
      LIMIT 1
   ) t
   WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.sid = i.sid)
), vote AS (
  INSERT INTO ${TABLES.votes} (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
  SELECT vote_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, 'sms', $8, $8, $8 FROM target
  ON CONFLICT (round_ref, fan_ref) DO NOTHING
  RETURNING document_id
), saved AS (
  INSERT INTO ${TABLES.inbound} (document_id, message_sid, from_hash, body, reply, outcome, created_at, updated_at, published_at)
  SELECT t.inbound_id, t.sid, t.phone_hash, t.body,
         replace(replace(
           CASE WHEN v.document_id IS NOT NULL
                THEN CASE WHEN coalesce(t.lang, t.language) = 'es' THEN $9 ELSE $10 END
                ELSE CASE WHEN coalesce(t.lang, t.language) = 'es' THEN $11 ELSE $12 END END,
           '{artist}', coalesce(t.artist_name, t.vote_code)), '{round}', t.round_number::text),
         CASE WHEN v.document_id IS NOT NULL THEN 'voted' ELSE 'already_voted' END,
         $8, $8, $8
    FROM target t LEFT JOIN vote v ON v.document_id = t.vote_id
  ON CONFLICT (message_sid) DO NOTHING
  RETURNING message_sid, reply, outcome
)
SELECT sid, reply, outcome, 'prior' AS source, NULL AS event_ref, NULL AS round_ref, NULL AS entry_ref FROM prior
UNION ALL
SELECT s.message_sid, s.reply, s.outcome, 'saved', t.event_ref, t.round_ref, t.entry_ref
  FROM saved s JOIN target t ON t.sid = s.message_sid`;

const MAX_BATCH = 200;

type PgClient = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }> };

const createSmsVotes = ({ strapi }: { strapi: Core.Strapi }) => {
  let queue: Pending[] = [];
  let scheduled = false;

  // A named statement is parsed and planned once per connection; each batch then sends only its values.
  // That needs pg's own client (`query({ name, text, values })`), which knex's public API never hands
  // out: `raw()` cannot name a statement, and `transaction()` would wrap each batch in BEGIN and COMMIT
  // (two more round trips, and the statement is atomic on its own). So the client is borrowed from the
  // pool through knex's `acquireConnection`/`releaseConnection` (the pair its own query runner uses),
  // which shares the pool's size, timeouts and health checks instead of opening a second pool.
  const run = async (inputs: Input[]) => {
    const client = (strapi.db.connection as Knex).client as unknown as {
      acquireConnection(): Promise<PgClient>;
      releaseConnection(connection: PgClient): Promise<void>;
    };
    const connection = await client.acquireConnection();
    try {
      const column = <K extends keyof Input>(key: K) => inputs.map((input) => input[key]);
      const values = [
        column('sid'), column('phoneHash'), column('code'), column('voteId'), column('inboundId'), column('body'), column('language'),
        new Date(),
        template('es', 'voted'), template('en', 'voted'), template('es', 'alreadyVoted'), template('en', 'alreadyVoted'),
      ];
      return (await connection.query({ name: 'ovation_sms_votes', text: VOTE_SQL, values })).rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };

  const flush = async () => {
    scheduled = false;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    if (queue.length > 0) schedule();
    try {
      const rows = await run(batch.map((pending) => pending.input));
      const bySid = new Map<string, Row>();
      for (const row of rows) if (!bySid.has(row.sid)) bySid.set(row.sid, row);
      for (const pending of batch) pending.resolve(bySid.get(pending.input.sid));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  };

  // Every vote that arrives before the event loop comes round again goes in the same statement.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  const submit = (input: Input) =>
    new Promise<Row | undefined>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });

  return {
    /** On PostgreSQL, unless the configuration turns it off (SMS_VOTING_FAST_SMS_VOTES=false). */
    supported() {
      return strapi.db.dialect.client === 'postgres' && pluginConfig(strapi).fastSmsVotes;
    },

    async cast(sms: InboundSms, phone: string, code: string, language?: Language): Promise<Handled | null> {
      const row = await submit({
        sid: sms.messageSid,
        phoneHash: fans(strapi).hashPhone(phone),
        code: code.toUpperCase(),
        voteId: newDocumentId(),
        inboundId: newDocumentId(),
        body: sms.body.slice(0, 320),
        language: language ?? null,
      });
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
