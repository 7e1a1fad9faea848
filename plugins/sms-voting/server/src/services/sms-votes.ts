import type { Core } from '@strapi/strapi';
import { fans, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { groupCommit } from '../utils/group-commit';
import { newDocumentId } from '../utils/ids';
import { pluginConfig } from '../utils/plugin-config';
import { template } from '../utils/replies';
import { TABLES } from '../utils/tables';
import type { InboundSms, Handled } from './inbound';

type Row = { sid: string; reply: string; outcome: string; source: 'prior' | 'saved'; event_ref: string | null; round_ref: string | null; entry_ref: string | null };
type Input = { sid: string; phoneHash: string; code: string; voteId: string; inboundId: string; body: string; language: Language | null };

/**
 * The busiest path of a live event, a vote by SMS, as one statement on PostgreSQL for every vote
 * that arrives in the same turn of the event loop (`groupCommit`).
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
  -- A LATERAL with LIMIT 1 looks each MessageSid up by its index: as a join it is planned from the
  -- table's statistics, which during an evening's votes lag its size, and scans every message.
  SELECT i.sid, p.reply, p.outcome
    FROM input i
   CROSS JOIN LATERAL (SELECT reply, outcome FROM ${TABLES.inbound} WHERE message_sid = i.sid LIMIT 1) p
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

const createSmsVotes = ({ strapi }: { strapi: Core.Strapi }) => {
  const submit = groupCommit<Input, Row>(strapi, {
    name: 'ovation_sms_votes',
    text: VOTE_SQL,
    values: (inputs) => {
      const column = <K extends keyof Input>(key: K) => inputs.map((input) => input[key]);
      return [
        column('sid'), column('phoneHash'), column('code'), column('voteId'), column('inboundId'), column('body'), column('language'),
        new Date(),
        template('es', 'voted'), template('en', 'voted'), template('es', 'alreadyVoted'), template('en', 'alreadyVoted'),
      ];
    },
    inputOf: (row) => row.sid,
    keyOf: (input) => input.sid,
  });

  return {
    /** On PostgreSQL, unless the configuration turns it off (SMS_VOTING_FAST_SMS_VOTES=false). */
    supported() {
      return strapi.db.dialect.client === 'postgres' && pluginConfig(strapi).fastSmsVotes;
    },

    async cast(sms: InboundSms, phone: string, code: string, language?: Language): Promise<Handled | null> {
      const voteId = newDocumentId();
      const submitted = submit({
        sid: sms.messageSid,
        phoneHash: fans(strapi).hashPhone(phone),
        code: code.toUpperCase(),
        voteId,
        inboundId: newDocumentId(),
        body: sms.body.slice(0, 320),
        language: language ?? null,
      });
      // A statement whose connection died may have committed with its answer lost: Twilio's retry
      // gets the stored reply, and the leaderboard counts the vote if it went in.
      const row = await submitted.catch(async (error) => {
        await getService(strapi, 'leaderboard').unsettled([voteId]);
        throw error;
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
