import type { Core } from '@strapi/strapi';
import { knexFor } from '../utils/db';
import type { Language } from '../utils/cms';
import { isVoteToken } from '../../../shared/contracts';
import { deriveVoteToken as derive, newDocumentId, sha256 } from '../utils/ids';
import { asDate } from '../utils/sql';
import { TABLES, rowStamps } from '../utils/tables';

const DAY_MS = 86_400_000;

export type TokenGrant = { id: number; fanRef: string; eventRef: string; roundRef: string; usedAt: Date | null; expiresAt: Date | null; language: Language };

/**
 * Voting links. A fan's token for a round is derived from the round and the fan (HMAC-SHA256 with
 * the server's key, 144 bits) and stored only as its SHA-256 hash. So no text needs to keep it:
 * replies and outbox bodies are stored with the link masked, and whoever answers or sends one again
 * (a Twilio retry, a retried job) derives the same token. One token per fan and round, however it
 * reaches them (join reply, notification): spent by their one vote, expiring when the round closes.
 */
const createTokens = ({ strapi }: { strapi: Core.Strapi }) => {
  // New tokens are made with the first of APP_KEYS; one made with another key still listed is found
  // and derived again with that key, so adding a new first key changes no link already sent.
  const keys = () => strapi.config.get('server.app.keys') as string[];

  return {
    /**
     * The fan's token for the round: the one already issued (derived again), else a new one that
     * expires when the round closes. Null when there is no such round.
     */
    async issue({ roundRef, fanRef }: { roundRef: string; fanRef: string }): Promise<string | null> {
      const knex = await knexFor(strapi);
      const candidates = keys().map((key) => derive(key, roundRef, fanRef));
      const issued = new Set(await knex(TABLES.tokens).whereIn('token_hash', candidates.map(sha256)).pluck('token_hash'));
      const found = candidates.find((token) => issued.has(sha256(token)));
      if (found) return found;

      const round = await knex(TABLES.rounds).where({ document_id: roundRef }).first('event_ref', 'closes_at');
      if (!round) return null;
      const [token] = candidates;
      await knex(TABLES.tokens)
        .insert({
          ...rowStamps(newDocumentId()),
          token_hash: sha256(token),
          fan_ref: fanRef,
          event_ref: round.event_ref,
          round_ref: roundRef,
          expires_at: asDate(round.closes_at) ?? new Date(Date.now() + DAY_MS),
        })
        .onConflict('token_hash')
        .ignore();
      return token;
    },

    async find(token: string): Promise<TokenGrant | null> {
      if (!isVoteToken(token)) return null;
      const row = await strapi.db
        .connection(`${TABLES.tokens} as t`)
        .leftJoin(`${TABLES.fans} as f`, 'f.document_id', 't.fan_ref')
        .where('t.token_hash', sha256(token))
        .first('t.id', 't.fan_ref', 't.event_ref', 't.round_ref', 't.used_at', 't.expires_at', 'f.language');
      if (!row) return null;
      return {
        id: row.id,
        fanRef: row.fan_ref,
        eventRef: row.event_ref,
        roundRef: row.round_ref,
        usedAt: asDate(row.used_at),
        expiresAt: asDate(row.expires_at),
        language: row.language === 'es' ? 'es' : 'en',
      };
    },
  };
};

export type TokensService = ReturnType<typeof createTokens>;
export default createTokens;
