import type { Core } from '@strapi/strapi';
import { fans, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { newDocumentId } from '../utils/ids';
import { reply } from '../utils/replies';
import { rowsOf } from '../utils/sql';
import { TABLES } from '../utils/tables';
import type { InboundSms, Handled } from './inbound';

type Lookup = { prior: string | null; prior_outcome: string | null; fan_ref: string | null; language: Language | null; event_ref: string | null };

/**
 * The busiest path of a live event, a vote by SMS, in two statements on PostgreSQL: one reads the
 * message's earlier reply (a Twilio retry), the fan and their events; one inserts the vote (only while
 * the round is open; once per fan per round) and the inbound message with the reply that matches what
 * happened, atomically. Anything it does not cover (unknown fan, no open round, unknown code) returns
 * null and takes the general, transactional path, which answers the same on every database.
 */
const createSmsVotes = ({ strapi }: { strapi: Core.Strapi }) => ({
  supported() {
    return strapi.db.dialect.client === 'postgres';
  },

  async cast(sms: InboundSms, phone: string, code: string, language?: Language): Promise<Handled | null> {
    const knex = strapi.db.connection;
    const phoneHash = fans(strapi).hashPhone(phone);
    const rows = await rowsOf<Lookup>(
      knex.raw(
        `SELECT p.reply AS prior, p.outcome AS prior_outcome, f.document_id AS fan_ref, f.language, a.event_ref
           FROM (SELECT 1) AS one
           LEFT JOIN ${TABLES.inbound} p ON p.message_sid = ?
           LEFT JOIN ${TABLES.fans} f ON f.phone_hash = ?
           LEFT JOIN ${TABLES.attendances} a ON a.fan_ref = f.document_id
          ORDER BY a.id DESC`,
        [sms.messageSid, phoneHash]
      )
    );
    const [first] = rows;
    if (first?.prior) return { reply: first.prior, outcome: first.prior_outcome ?? 'replayed' };
    if (!first?.fan_ref) return null;

    const directory = getService(strapi, 'directory');
    for (const { event_ref: eventRef } of rows) {
      if (!eventRef) continue;
      const round = await directory.openRound(eventRef);
      const entry = round && (await directory.entryByCode(eventRef, code));
      if (!round || !entry) continue;

      const lang: Language = language ?? (first.language === 'es' ? 'es' : 'en');
      const now = new Date();
      const [stored] = await rowsOf<{ reply: string; outcome: string }>(
        knex.raw(
          `WITH open_round AS (
             SELECT 1 FROM ${TABLES.rounds}
              WHERE document_id = :round AND status = 'open' AND (closes_at IS NULL OR closes_at > :now)
           ), vote AS (
             INSERT INTO ${TABLES.votes} (document_id, round_ref, event_ref, fan_ref, entry_ref, vote_code, channel, created_at, updated_at, published_at)
             SELECT :voteId, :round, :event, :fan, :entry, :code, 'sms', :now, :now, :now WHERE EXISTS (SELECT 1 FROM open_round)
             ON CONFLICT (round_ref, fan_ref) DO NOTHING
             RETURNING id
           ), outcome AS (
             SELECT CASE WHEN EXISTS (SELECT 1 FROM vote) THEN 'voted'
                         WHEN EXISTS (SELECT 1 FROM open_round) THEN 'already_voted'
                         ELSE 'round_closed' END AS kind
           )
           INSERT INTO ${TABLES.inbound} (document_id, message_sid, from_hash, body, reply, outcome, created_at, updated_at, published_at)
           SELECT :inboundId, :sid, :fromHash, :body,
                  CASE kind WHEN 'voted' THEN :voted WHEN 'already_voted' THEN :already ELSE :closed END,
                  kind, :now, :now, :now
             FROM outcome
           ON CONFLICT (message_sid) DO NOTHING
           RETURNING reply, outcome`,
          {
            round: round.documentId,
            now,
            voteId: newDocumentId(),
            event: eventRef,
            fan: first.fan_ref,
            entry: entry.documentId,
            code: entry.code,
            inboundId: newDocumentId(),
            sid: sms.messageSid,
            fromHash: phoneHash,
            body: sms.body.slice(0, 320),
            voted: reply(lang, 'voted', { artist: entry.artist?.name ?? entry.code, round: round.number }),
            already: reply(lang, 'alreadyVoted', { round: round.number }),
            closed: reply(lang, 'noOpenRound'),
          }
        )
      );
      // No row: the same MessageSid was being handled at the same moment; its reply is the answer.
      if (!stored) return null;
      if (stored.outcome === 'voted') {
        getService(strapi, 'leaderboard')
          .recordVote(eventRef, round.documentId, entry.documentId)
          .catch((error) => strapi.log.warn(`sms-voting: leaderboard update failed: ${error}`));
      }
      return stored;
    }
    return null;
  },
});

export type SmsVotesService = ReturnType<typeof createSmsVotes>;
export default createSmsVotes;
