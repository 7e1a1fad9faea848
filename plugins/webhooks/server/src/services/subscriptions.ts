import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ForbiddenDestinationError, checkEndpoint, eventTypesOf, generateSecret, seal, unseal, webhookSettings, type WebhookEventType } from '@ovation/workers/webhooks';
import type { SubscriptionView, SubscriptionWithSecret } from '../../../shared/contracts/webhooks';
import { invalid } from '../utils/validation';

const UID = 'plugin::webhooks.subscription';

export type SubscriptionInput = {
  url: string;
  eventTypes: WebhookEventType[];
  active?: boolean;
  description?: string | null;
  ownerEmail?: string | null;
};

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const maskEmail = (email: string) => `${email[0]}***${email.slice(email.indexOf('@'))}`;

/** A sealed value, or null where it cannot be opened (another key, a damaged row): one such row never hides the others. */
const opened = (sealed: string) => {
  try {
    return unseal(sealed);
  } catch {
    return null;
  }
};

export const toView = (row: Row): SubscriptionView => ({
  id: Number(row.id),
  documentId: row.documentId as string,
  url: row.url as string,
  eventTypes: eventTypesOf(row.event_types),
  active: Boolean(row.active),
  description: (row.description as string | null) ?? null,
  ownerEmail: row.owner_email_encrypted ? opened(row.owner_email_encrypted as string) : null,
  previousSecretExpiresAt: iso(row.previous_secret_expires_at),
  disabledReason: (row.disabled_reason as string | null) ?? null,
  disabledAt: iso(row.disabled_at),
  failingSince: iso(row.failing_since),
  createdAt: iso(row.createdAt),
});

/** Refuses an endpoint the workers would refuse to reach (checked again, on the resolved address, at every connection). */
async function checkUrl(url: string) {
  try {
    await checkEndpoint(url);
  } catch (error) {
    if (error instanceof ForbiddenDestinationError) throw invalid('url', `The endpoint URL ${error.message}`);
    throw error;
  }
}

const ownerFields = (ownerEmail: string | null | undefined) =>
  ownerEmail === undefined ? {} : { owner_email_encrypted: ownerEmail ? seal(ownerEmail) : null, owner_email_masked: ownerEmail ? maskEmail(ownerEmail) : null };

/**
 * Partners' subscriptions, written through the Document Service so the audit trail records every
 * change (their sealed secret and email redacted there by name). Secrets are generated here, stored
 * sealed, and returned once.
 */
const createSubscriptions = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(UID as never);
  const find = async (id: number) => {
    const row = (await strapi.db.query(UID as never).findOne({ where: { id } })) as Row | null;
    if (!row) throw new errors.NotFoundError('No such webhook subscription');
    return row;
  };
  const write = async (row: Row, data: Row) => (await documents().update({ documentId: row.documentId as string, data } as never)) as unknown as Row;

  return {
    find,

    async list(): Promise<SubscriptionView[]> {
      const rows = (await strapi.db.query(UID as never).findMany({ orderBy: { id: 'desc' } })) as Row[];
      return rows.map(toView);
    },

    async create(input: SubscriptionInput): Promise<SubscriptionWithSecret> {
      await checkUrl(input.url);
      const secret = generateSecret();
      const row = (await documents().create({
        data: {
          url: input.url,
          event_types: input.eventTypes,
          active: input.active ?? true,
          description: input.description ?? null,
          ...ownerFields(input.ownerEmail),
          secret_encrypted: seal(secret),
        },
      } as never)) as unknown as Row;
      return { subscription: toView(row), secret };
    },

    /** Changes what is given; enabling a disabled subscription clears why it was disabled. */
    async update(id: number, input: Partial<SubscriptionInput>): Promise<SubscriptionView> {
      const row = await find(id);
      if (input.url !== undefined) await checkUrl(input.url);
      const data: Row = {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: input.eventTypes } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...ownerFields(input.ownerEmail),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.active === true ? { disabled_reason: null, disabled_at: null, failing_since: null } : {}),
      };
      return toView(await write(row, data));
    },

    /** A new secret; the one it replaces still signs (beside it) for the overlap (24 hours by default). */
    async rotate(id: number): Promise<SubscriptionWithSecret> {
      const row = await find(id);
      const secret = generateSecret();
      const updated = await write(row, {
        secret_encrypted: seal(secret),
        previous_secret_encrypted: row.secret_encrypted,
        previous_secret_expires_at: new Date(Date.now() + webhookSettings().rotationOverlapMs),
      });
      return { subscription: toView(updated), secret };
    },

    async remove(id: number) {
      const row = await find(id);
      await documents().delete({ documentId: row.documentId as string } as never);
    },
  };
};

export type SubscriptionsService = ReturnType<typeof createSubscriptions>;
export default createSubscriptions;
