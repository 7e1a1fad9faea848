import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { EMAIL_API } from '../../../shared/contracts/email';
import { UNSUBSCRIBE_MARKER } from '../campaigns/email';
import { unsubscribeMessageId, unsubscribeToken } from '../email/tokens';
import { TABLES } from '../segments/tables';
import { consentLedger, fans } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Unsubscribing from marketing email. Each campaign email gets, right before it is sent, a link
 * signed for its own outbox message, shown in the email and given in `List-Unsubscribe` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): one POST to it records the
 * recipient's `marketing_email` opt-out, and from then on no campaign (nor a retry of one) reaches them.
 */
const createUnsubscribe = ({ strapi }: { strapi: Core.Strapi }) => {
  const link = (messageId: number) => `${pluginConfig(strapi).publicUrl.replace(/\/$/, '')}${EMAIL_API.unsubscribe(unsubscribeToken(pluginConfig(strapi).signingKey, messageId))}`;

  return {
    /** The outbox's last touch to a campaign email: this recipient's link in the text, the HTML and the headers. */
    async dress(message: { id: number; body: string; html: string | null }) {
      const url = link(message.id);
      return {
        body: message.body.split(UNSUBSCRIBE_MARKER).join(url),
        html: message.html === null ? null : message.html.split(UNSUBSCRIBE_MARKER).join(escapeAttribute(url)),
        headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      };
    },

    /** The message a link names (its recipient's language for the page), or a 404 for a link that is not ours. */
    async messageOf(token: string) {
      const id = unsubscribeMessageId(pluginConfig(strapi).signingKey, token);
      const row = id === null ? undefined : await strapi.db.connection(TABLES.messages).where({ id, channel: 'email' }).first('id', 'idempotency_key', 'recipient_encrypted', 'recipient_hash');
      if (!row) throw new errors.NotFoundError('This unsubscribe link is not valid');
      return row as { id: number; idempotency_key: string; recipient_encrypted: string | null; recipient_hash: string };
    },

    /**
     * Records the opt-out of the link's recipient (once: a second click finds them opted out already).
     * An erased recipient has nothing left to opt out: the ledger already says no.
     */
    async unsubscribe(token: string, how: 'one-click' | 'page', ip: string | undefined) {
      const message = await this.messageOf(token);
      if (!message.recipient_encrypted) return { status: 'unsubscribed' as const };
      if (!(await getService(strapi, 'send-gate').consents(message.recipient_hash, 'email'))) return { status: 'unsubscribed' as const };
      await consentLedger(strapi).record({
        identifier: fans(strapi).emailOf({ email_encrypted: message.recipient_encrypted }),
        channel: 'email',
        purpose: 'marketing_email',
        action: 'opt_out',
        source: 'email-unsubscribe',
        evidence: { message: message.idempotency_key, how },
        ip,
      });
      return { status: 'unsubscribed' as const };
    },
  };
};

export type UnsubscribeService = ReturnType<typeof createUnsubscribe>;
export default createUnsubscribe;
