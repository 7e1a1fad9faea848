import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ClaimPreview, ClaimResult } from '../../../shared/contracts';
import { hashClaimToken, isClaimTokenShaped, signedFor } from '../utils/claim-tokens';
import { pluginConfig, ROLE, USER } from '../utils/cms';
import { knexFor, TABLES } from '../utils/db';
import { conflict, gone } from '../utils/errors';
import { CLAIM_STATUS_CHANGED } from '../utils/events';

type InvitationRow = { id: number; artist_ref: string; expires_at: Date | string; used_at: Date | string | null; revoked_at: Date | string | null };

const createClaims = ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * The invitation a token opens, or the 4xx that says why not: 404 for a token nobody issued (or
   * not signed with this key for its artist), 409 once used, 410 when revoked by a newer invitation
   * or past its seven days.
   */
  async function openInvitation(token: string, { lock = false } = {}) {
    if (!isClaimTokenShaped(token)) throw new errors.NotFoundError('This claim link is not valid');
    const knex = await knexFor(strapi);
    const query = knex(TABLES.invitations).where({ token_hash: hashClaimToken(token) });
    const row = (await (lock ? query.forUpdate() : query).first('id', 'artist_ref', 'expires_at', 'used_at', 'revoked_at')) as InvitationRow | undefined;
    if (!row || !signedFor(pluginConfig(strapi).signingKey, row.artist_ref, token)) throw new errors.NotFoundError('This claim link is not valid');
    if (row.used_at) throw conflict('This claim link has already been used: sign in instead');
    if (row.revoked_at) throw gone('This claim link was replaced by a newer invitation: use the latest one you received');
    if (new Date(row.expires_at).getTime() <= Date.now()) throw gone('This claim link has expired: ask the Ovation team for a new invitation');
    const artist = (await knex(TABLES.artists).where({ document_id: row.artist_ref }).whereNull('published_at').first('name', 'slug')) as { name: string; slug: string } | undefined;
    if (!artist) throw gone('The artist of this claim link no longer exists');
    return { row, artist };
  }

  return {
    async preview(token: string): Promise<ClaimPreview> {
      const { row, artist } = await openInvitation(token);
      return { artist, expiresAt: new Date(row.expires_at).toISOString() };
    },

    /**
     * Creates the artist's account (Artist role) and links it to the invitation's artist, in one
     * transaction that first locks the invitation: two claims of one link make one account, and the
     * unique columns of the link table keep one account per artist whatever else happens.
     */
    async claim(token: string, input: { username: string; email: string; password: string }): Promise<ClaimResult> {
      const result = await strapi.db.transaction(async () => {
        const { row, artist } = await openInvitation(token, { lock: true });
        const knex = await knexFor(strapi);
        if (await knex(TABLES.accounts).where({ artist_ref: row.artist_ref }).first('id')) throw conflict('This artist has already been claimed');
        const users = strapi.db.query(USER);
        if (await users.findOne({ where: { email: input.email } })) throw new errors.ValidationError('email: an account with this email already exists; sign in with it');
        if (await users.findOne({ where: { username: input.username } })) throw new errors.ValidationError('username: this user name is taken');
        const role = await strapi.db.query(ROLE).findOne({ where: { type: 'artist' } });
        if (!role) throw new Error('The Artist role is missing');
        // The Document Service (users-permissions' `add`) applies the password policy and hashes the password.
        const user = (await strapi.plugin('users-permissions').service('user').add({
          username: input.username,
          email: input.email,
          password: input.password,
          provider: 'local',
          confirmed: true,
          blocked: false,
          role: role.id,
        })) as { id: number };
        const now = new Date();
        await knex(TABLES.invitations).where({ id: row.id }).update({ used_at: now, user_id: user.id, updated_at: now });
        await knex(TABLES.accounts).insert({ document_id: crypto.randomBytes(12).toString('hex'), user_id: user.id, artist_ref: row.artist_ref, invitation_id: row.id, created_at: now, updated_at: now, published_at: now });
        await knex(TABLES.artists).where({ document_id: row.artist_ref }).update({ claim_status: 'claimed' });
        return { artist, user: { username: input.username, email: input.email } };
      });
      strapi.eventHub.emit(CLAIM_STATUS_CHANGED, {});
      return result;
    },

    /** The artist the signed-in account speaks for, or 403: the server's rule for every artist route. */
    async artistOf(userId: number | undefined) {
      if (!userId) throw new errors.UnauthorizedError('Sign in as an artist');
      const knex = await knexFor(strapi);
      const link = (await knex(TABLES.accounts).where({ user_id: userId }).first('artist_ref')) as { artist_ref: string } | undefined;
      if (!link) throw new errors.ForbiddenError('This account is not linked to an artist');
      return link.artist_ref;
    },
  };
};

export type ClaimsService = ReturnType<typeof createClaims>;
export default createClaims;
