import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { InvitationChannel, InvitationSummary, Language } from '../../../shared/contracts';
import { CLAIM_LIFETIME_MS, claimToken, hashClaimToken, newNonce } from '../utils/claim-tokens';
import { outbox, pluginConfig } from '../utils/cms';
import { knexFor, TABLES } from '../utils/db';
import { CLAIM_STATUS_CHANGED } from '../utils/events';

/** The outbox purpose of claim links: their stored body has the token masked, filled in for each attempt. */
export const INVITATION_PURPOSE = 'artist-invitation';
const KEY = /^artist-invitation:(\d+)$/;
const MASKED = '[claim link]';

const claimLink = (siteUrl: string, language: Language, token: string) => `${siteUrl.replace(/\/$/, '')}${language === 'es' ? '/es' : ''}/artist/claim/${token}`;

const TEXT: Record<Language, (name: string, link: string) => { subject: string; body: string }> = {
  en: (name, link) => ({
    subject: `Claim your artist page on Ovation: ${name}`,
    body: `You are invited to manage ${name}'s page on Ovation. Open ${link} within 7 days to create your account.`,
  }),
  es: (name, link) => ({
    subject: `Reclama tu página de artista en Ovation: ${name}`,
    body: `Te invitamos a gestionar la página de ${name} en Ovation. Abre ${link} en los próximos 7 días para crear tu cuenta.`,
  }),
};

type InvitationRow = { id: number; artist_ref: string; nonce: string; channel: InvitationChannel; recipient_masked: string; language: Language; expires_at: Date | string; created_at: Date | string };

const createInvitations = ({ strapi }: { strapi: Core.Strapi }) => {
  const artistRow = async (documentId: string) =>
    (await (await knexFor(strapi))(TABLES.artists).where({ document_id: documentId }).whereNull('published_at').first('id', 'name', 'claim_status')) as
      | { id: number; name: string; claim_status: string }
      | undefined;

  return {
    /**
     * Sends `to` a new claim link for the artist and revokes any earlier one, in one transaction
     * with the outbox row and its `message.send` job. A claimed artist is not invited again.
     */
    async invite(documentId: string, input: { channel: InvitationChannel; to: string; language: Language }, adminId: number | null) {
      const summary = await strapi.db.transaction(async () => {
        const knex = await knexFor(strapi);
        // The artist's rows, locked: two editors inviting at once queue one after the other.
        const rows = (await knex(TABLES.artists).where({ document_id: documentId }).forUpdate().select('id', 'name', 'claim_status', 'locale')) as {
          name: string;
          claim_status: string;
        }[];
        if (rows.length === 0) throw new errors.NotFoundError('No such artist');
        if (rows.some((row) => row.claim_status === 'claimed')) throw new errors.ApplicationError('This artist has already claimed their profile');

        const now = new Date();
        await knex(TABLES.invitations).where({ artist_ref: documentId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: now, updated_at: now });
        const nonce = newNonce();
        const { signingKey, siteUrl } = pluginConfig(strapi);
        const token = claimToken(signingKey, documentId, nonce);
        const [inserted] = (await knex(TABLES.invitations)
          .insert({
            document_id: crypto.randomBytes(12).toString('hex'),
            token_hash: hashClaimToken(token),
            nonce,
            artist_ref: documentId,
            channel: input.channel,
            recipient_masked: '',
            language: input.language,
            invited_by: adminId,
            expires_at: new Date(now.getTime() + CLAIM_LIFETIME_MS),
            created_at: now,
            updated_at: now,
            published_at: now,
          })
          .returning(['id'])) as { id: number }[];
        const idempotencyKey = `${INVITATION_PURPOSE}:${inserted.id}`;
        const text = TEXT[input.language](rows[0].name, claimLink(siteUrl, input.language, MASKED));
        await outbox(strapi).queue([
          { idempotencyKey, channel: input.channel, to: input.to, subject: input.channel === 'email' ? text.subject : undefined, body: text.body, purpose: INVITATION_PURPOSE },
        ]);
        // The masked address, as the outbox made it (one way of masking for the whole app).
        const message = (await knex(TABLES.messages).where({ idempotency_key: idempotencyKey }).first('recipient_masked')) as { recipient_masked: string };
        await knex(TABLES.invitations).where({ id: inserted.id }).update({ recipient_masked: message.recipient_masked });
        await knex(TABLES.artists).where({ document_id: documentId }).update({ claim_status: 'invited' });
        return this.summary(documentId);
      });
      strapi.eventHub.emit(CLAIM_STATUS_CHANGED, {});
      return summary;
    },

    /** The message as it is sent: the link with its token, remade from the invitation's nonce. */
    async fillLink(message: { idempotencyKey: string; body: string }) {
      const id = KEY.exec(message.idempotencyKey)?.[1];
      const row = id && ((await strapi.db.connection(TABLES.invitations).where({ id: Number(id) }).first('artist_ref', 'nonce')) as InvitationRow | undefined);
      if (!row) throw new Error(`No invitation for ${message.idempotencyKey}`);
      return message.body.split(MASKED).join(claimToken(pluginConfig(strapi).signingKey, row.artist_ref, row.nonce));
    },

    /** The artist's claim status and live invitation, for the admin's panel. */
    async summary(documentId: string): Promise<InvitationSummary> {
      const knex = await knexFor(strapi);
      const artist = await artistRow(documentId);
      if (!artist) throw new errors.NotFoundError('No such artist');
      const live = (await knex(TABLES.invitations)
        .where({ artist_ref: documentId })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .where('expires_at', '>', new Date())
        .orderBy('id', 'desc')
        .first('channel', 'recipient_masked', 'expires_at', 'created_at')) as InvitationRow | undefined;
      return {
        artist: { documentId, name: artist.name, claimStatus: artist.claim_status as InvitationSummary['artist']['claimStatus'] },
        invitation: live
          ? { channel: live.channel, recipient: live.recipient_masked, expiresAt: new Date(live.expires_at).toISOString(), createdAt: new Date(live.created_at).toISOString() }
          : null,
      };
    },
  };
};

export type InvitationsService = ReturnType<typeof createInvitations>;
export default createInvitations;
