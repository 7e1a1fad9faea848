import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { knexFor } from '../utils/db';
import type { Language } from '../utils/cms';
import { newDocumentId, newVoteToken, sha256 } from '../utils/ids';
import { asDate } from '../utils/sql';
import { TABLES, rowStamps } from '../utils/tables';
import type { RoundSummary } from './directory';

const DAY_MS = 86_400_000;

export type TokenGrant = { id: number; fanRef: string; eventRef: string; roundRef: string; usedAt: Date | null; expiresAt: Date | null; language: Language };

/**
 * One-time voting links. The token (144 random bits, or for round notifications an HMAC that a retried
 * job derives again) is only ever stored as its SHA-256 hash; it expires when its round closes.
 */
const createTokens = ({ strapi }: { strapi: Core.Strapi }) => {
  const insert = async (token: string, grant: { fanRef: string; eventRef: string; round: RoundSummary }) => {
    await (await knexFor(strapi))(TABLES.tokens)
      .insert({
        ...rowStamps(newDocumentId()),
        token_hash: sha256(token),
        fan_ref: grant.fanRef,
        event_ref: grant.eventRef,
        round_ref: grant.round.documentId,
        expires_at: grant.round.closesAt ?? new Date(Date.now() + DAY_MS),
      })
      .onConflict('token_hash')
      .ignore();
    return token;
  };

  return {
    /** A fresh random link, e.g. for a fan who just joined. */
    issue(grant: { fanRef: string; eventRef: string; round: RoundSummary }) {
      return insert(newVoteToken(), grant);
    },

    /** The same link every time for this fan and round, so a retried notification job sends a working link. */
    issueStable(grant: { fanRef: string; eventRef: string; round: RoundSummary }) {
      const [key] = strapi.config.get('server.app.keys') as string[];
      const token = crypto
        .createHmac('sha256', key)
        .update(`vote-token:${grant.round.documentId}:${grant.fanRef}`)
        .digest()
        .subarray(0, 18)
        .toString('base64url');
      return insert(token, grant);
    },

    async find(token: string): Promise<TokenGrant | null> {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
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
