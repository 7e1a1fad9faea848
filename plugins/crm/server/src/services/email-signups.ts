import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';
import { CONFIRMATION_LIFETIME_MS, EMAIL_API, EMAIL_CONSENT_TEXT, EMAIL_CONSENT_VERSION, normaliseEmail, type Language, type SignupSource } from '../../../shared/contracts/email';
import { confirmationSignedFor, confirmationToken, hashToken, isConfirmationTokenShaped, newNonce } from '../email/tokens';
import { TABLES } from '../segments/tables';
import { consentLedger, fans, outbox, votingTokens } from '../utils/cms';
import { knexFor } from '../utils/db';
import { pluginConfig } from '../utils/plugin-config';

/** The outbox purpose of confirmation emails: their stored body has the link masked, remade for each attempt. */
export const CONFIRMATION_PURPOSE = 'email-confirmation';
const KEY = /^email-confirmation:(\d+)$/;
const MASKED = '[confirmation link]';
const HOUR_MS = 3_600_000;

const TEXT: Record<Language, (brand: string, link: string) => { subject: string; body: string }> = {
  en: (brand, link) => ({
    subject: `Confirm your email for news from ${brand}`,
    body: `Someone, hopefully you, asked for news from ${brand} at this address.\n\nTo confirm, open this link within 7 days and press the button:\n${link}\n\nIf it was not you, ignore this email: you will get nothing more from us.`,
  }),
  es: (brand, link) => ({
    subject: `Confirma tu email para recibir noticias de ${brand}`,
    body: `Alguien, esperamos que tú, pidió noticias de ${brand} en esta dirección.\n\nPara confirmarlo, abre este enlace en los próximos 7 días y pulsa el botón:\n${link}\n\nSi no fuiste tú, ignora este email: no recibirás nada más.`,
  }),
};

type SignupRow = {
  id: number;
  document_id: string;
  email_encrypted: string;
  email_hash: string;
  fan_ref: string | null;
  language: Language;
  source: SignupSource;
  event_ref: string | null;
  consent_text: string;
  consent_version: string;
  expires_at: Date | string;
  confirmed_at: Date | string | null;
  created_at: Date | string;
};

export type SignupRequest = { email: string; language: Language; source: SignupSource; token?: string; event?: string };

/**
 * Marketing email by double opt-in. A sign-up stores the address sealed (found by its keyed hash)
 * and queues a confirmation email with a signed, single-use link valid 7 days, in one transaction.
 * Only following that link puts the address on the fan and records the `marketing_email` opt-in,
 * with the words the fan was shown as evidence: until then no campaign reaches the address.
 */
const createEmailSignups = ({ strapi }: { strapi: Core.Strapi }) => {
  const link = (token: string) => `${pluginConfig(strapi).publicUrl.replace(/\/$/, '')}${EMAIL_API.confirm(token)}`;

  /** Who signs up: the fan the voting link names, or nobody yet (a recap page); 404 for a link that names no one. */
  const signerOf = async (request: SignupRequest) => {
    if (request.source !== 'vote-page') return null;
    const grant = request.token ? await votingTokens(strapi).find(request.token) : null;
    if (!grant || (grant.expiresAt && grant.expiresAt.getTime() < Date.now())) throw new errors.NotFoundError('This voting link is not valid');
    return grant.fanRef;
  };
  const eventOf = async (slug: string | undefined) => {
    if (!slug) return null;
    const event = await strapi.db.connection('events').where({ slug }).whereNotNull('published_at').first('document_id');
    if (!event) throw new errors.NotFoundError(`There is no event "${slug}"`);
    return event.document_id as string;
  };

  return {
    async signUp(request: SignupRequest, ip: string | undefined, now = new Date()) {
      const email = normaliseEmail(request.email);
      const emailHash = fans(strapi).hashEmail(email);
      const [fanRef, eventRef] = await Promise.all([signerOf(request), eventOf(request.event)]);
      const config = pluginConfig(strapi);
      const expiresAt = new Date(now.getTime() + CONFIRMATION_LIFETIME_MS);

      await strapi.db.transaction(async () => {
        const knex = await knexFor(strapi);
        // A few confirmation emails an hour per address, however many sites or addresses ask: no mailbox is flooded.
        const recent = await knex(TABLES.emailSignups).where({ email_hash: emailHash }).where('created_at', '>', new Date(now.getTime() - HOUR_MS)).count({ n: '*' }).first();
        if (Number(recent?.n ?? 0) >= config.confirmationsPerHour) {
          throw new errors.RateLimitError(`Too many confirmation emails to this address: at most ${config.confirmationsPerHour} an hour`, { retryAfter: 3600 });
        }
        const documentId = crypto.randomBytes(12).toString('hex');
        const nonce = newNonce();
        const [row] = (await knex(TABLES.emailSignups)
          .insert({
            document_id: documentId,
            token_hash: hashToken(confirmationToken(config.signingKey, documentId, nonce)),
            nonce,
            email_encrypted: fans(strapi).sealEmail(email),
            email_hash: emailHash,
            fan_ref: fanRef,
            language: request.language,
            source: request.source,
            event_ref: eventRef,
            consent_text: EMAIL_CONSENT_TEXT[request.language](config.brandName),
            consent_version: EMAIL_CONSENT_VERSION,
            ip: ip ?? null,
            expires_at: expiresAt,
            created_at: now,
            updated_at: now,
            published_at: now,
          })
          .returning(['id'])) as { id: number }[];
        const text = TEXT[request.language](config.brandName, link(MASKED));
        await outbox(strapi).queue([{ idempotencyKey: `${CONFIRMATION_PURPOSE}:${row.id}`, channel: 'email', to: email, subject: text.subject, body: text.body, purpose: CONFIRMATION_PURPOSE }]);
      });
      return { status: 'confirmation-sent' as const, expiresAt: expiresAt.toISOString() };
    },

    /** The confirmation email as it is sent: the link with its token, remade from the sign-up's nonce. */
    async fillLink(message: { idempotencyKey: string; body: string }) {
      const id = KEY.exec(message.idempotencyKey)?.[1];
      const row = id && ((await strapi.db.connection(TABLES.emailSignups).where({ id: Number(id) }).first('document_id', 'nonce')) as { document_id: string; nonce: string } | undefined);
      if (!row) throw new Error(`No sign-up for ${message.idempotencyKey}`);
      return message.body.split(MASKED).join(confirmationToken(pluginConfig(strapi).signingKey, row.document_id, row.nonce));
    },

    /** The sign-up a link belongs to (its page's language), or a 404 for a link that is not one of ours. */
    async find(token: string): Promise<SignupRow> {
      const row = isConfirmationTokenShaped(token)
        ? ((await strapi.db.connection(TABLES.emailSignups).where({ token_hash: hashToken(token) }).first()) as SignupRow | undefined)
        : undefined;
      if (!row || !confirmationSignedFor(pluginConfig(strapi).signingKey, row.document_id, token)) {
        throw new errors.NotFoundError('This confirmation link is not valid');
      }
      return row;
    },

    /**
     * Follows a confirmation link, once: the address goes on file (the fan's, or a new fan's) and the
     * `marketing_email` opt-in is recorded with its evidence, in one transaction with spending the
     * link. 409 for a link already used, 410 for one past its 7 days: nothing changes then.
     */
    async confirm(token: string, ip: string | undefined, now = new Date()) {
      const row = await this.find(token);
      await strapi.db.transaction(async () => {
        const knex = await knexFor(strapi);
        const spent = await knex(TABLES.emailSignups).where({ id: row.id }).whereNull('confirmed_at').where('expires_at', '>', now).update({ confirmed_at: now, updated_at: now });
        if (spent === 0) {
          const current = await knex(TABLES.emailSignups).where({ id: row.id }).first('confirmed_at');
          if (current?.confirmed_at) throw createError(409, 'This confirmation link has already been used');
          throw createError(410, 'This confirmation link has expired: sign up again for a new one');
        }
        const email = fans(strapi).emailOf({ email_encrypted: row.email_encrypted });
        const fan = await fans(strapi).addEmail(email, { fanRef: row.fan_ref, language: row.language });
        await consentLedger(strapi).record({
          identifier: email,
          channel: 'email',
          purpose: 'marketing_email',
          action: 'opt_in',
          source: 'email-double-opt-in',
          evidence: {
            text: row.consent_text,
            textSha256: crypto.createHash('sha256').update(row.consent_text).digest('hex'),
            version: row.consent_version,
            shownOn: row.source,
            eventRef: row.event_ref,
            fanRef: fan.documentId,
            signup: row.document_id,
            signedUpAt: new Date(row.created_at).toISOString(),
            confirmedAt: now.toISOString(),
          },
          ip,
        });
      });
      return { status: 'confirmed' as const, language: row.language };
    },
  };
};

export type EmailSignupsService = ReturnType<typeof createEmailSignups>;
export default createEmailSignups;
