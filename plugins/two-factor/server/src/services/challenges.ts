import type { Core } from '@strapi/strapi';
import type { Owner } from '../utils/owner';
import { pluginConfig } from '../utils/plugin-config';
import { hashToken, newToken } from '../utils/sealing';

const CHALLENGE = 'plugin::two-factor.challenge';

export type ChallengePurpose = 'sign-in' | 'enrol';
export type Challenge = { id: number; owner: Owner; purpose: ChallengePurpose; rememberMe: boolean; deviceId: string | null };

type Row = { id: number; user_kind: Owner['kind']; user_id: number; purpose: ChallengePurpose; remember_me: boolean | null; device_id: string | null };

/**
 * A sign-in between the password and the code. Kept in PostgreSQL, the token only as its SHA-256
 * hash, rather than in Redis: serving one sign-in and dying after five wrong codes are then
 * conditional updates the database decides, a Redis outage does not end sign-ins in progress,
 * and nothing about the person is in Redis at all.
 */
const createChallenges = ({ strapi }: { strapi: Core.Strapi }) => {
  const live = (now: Date) => ({ used_at: null, expires_at: { $gt: now }, failures: { $lt: pluginConfig(strapi).challenge.maxFailures } });

  return {
    /** A challenge for the owner; the token goes to the client, only its hash is kept. */
    async open(owner: Owner, purpose: ChallengePurpose, session: { rememberMe?: boolean; deviceId?: string } = {}) {
      const token = newToken();
      await strapi.db.query(CHALLENGE).create({
        data: {
          token_hash: hashToken(token),
          user_kind: owner.kind,
          user_id: owner.id,
          purpose,
          remember_me: Boolean(session.rememberMe),
          device_id: session.deviceId ?? null,
          failures: 0,
          expires_at: new Date(Date.now() + pluginConfig(strapi).challenge.ttlSeconds * 1000),
        },
      });
      // Expired challenges are of no use to anyone: each new one sweeps those of its owner.
      await strapi.db.query(CHALLENGE).deleteMany({ where: { user_kind: owner.kind, user_id: owner.id, expires_at: { $lt: new Date(Date.now() - 60_000) } } });
      return token;
    },

    /** The challenge behind a token while it can still be answered: unused, unexpired, fewer than five wrong codes. */
    async find(token: string): Promise<Challenge | null> {
      const row = (await strapi.db.query(CHALLENGE).findOne({ where: { token_hash: hashToken(token), ...live(new Date()) } })) as Row | null;
      return row && { id: row.id, owner: { kind: row.user_kind, id: Number(row.user_id) }, purpose: row.purpose, rememberMe: Boolean(row.remember_me), deviceId: row.device_id };
    },

    /**
     * Whose a token was, live or not (expired, spent, dead after five wrong codes) while its row is
     * kept: a code sent to a dead challenge still counts against that account.
     */
    async ownerOf(token: string): Promise<Owner | null> {
      const row = (await strapi.db.query(CHALLENGE).findOne({ where: { token_hash: hashToken(token) }, select: ['user_kind', 'user_id'] })) as Pick<Row, 'user_kind' | 'user_id'> | null;
      return row && { kind: row.user_kind, id: Number(row.user_id) };
    },

    /** Counts a wrong code against the challenge (the fifth ends it). */
    async fail(challenge: Challenge) {
      const row = (await strapi.db.query(CHALLENGE).findOne({ where: { id: challenge.id }, select: ['failures'] })) as { failures: number } | null;
      if (!row) return;
      // Conditional on the count read, so two wrong codes at once cannot both count as one.
      const { count } = await strapi.db.query(CHALLENGE).updateMany({ where: { id: challenge.id, failures: row.failures }, data: { failures: row.failures + 1 } });
      if (count === 0) await this.fail(challenge);
    },

    /** Spends the challenge on the sign-in it served; false if it was already spent (or just died). */
    async close(challenge: Challenge) {
      const { count } = await strapi.db.query(CHALLENGE).updateMany({ where: { id: challenge.id, ...live(new Date()) }, data: { used_at: new Date() } });
      return count === 1;
    },
  };
};

export type ChallengesService = ReturnType<typeof createChallenges>;
export default createChallenges;
