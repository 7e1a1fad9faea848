import type { Core } from '@strapi/strapi';
import type { Owner } from '../utils/owner';

export const TWO_FACTOR_EVENTS = ['enrolled', 'verified', 'failed', 'locked', 'recovery-code-used', 'new-recovery-codes', 'reset', 'disabled'] as const;
export type TwoFactorEventName = (typeof TWO_FACTOR_EVENTS)[number];

/** What every `two-factor.<event>` on strapi.eventHub carries: who, from where; never a code or a secret. */
export type TwoFactorEvent = {
  event: TwoFactorEventName;
  userKind: Owner['kind'];
  userId: number;
  /** Who did it when it is not the user (a super admin's reset, the CLI). */
  by: { kind: 'admin' | 'script'; id: number | null } | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
};

type RequestContext = { ip?: string; get?(header: string): string } | undefined;

/**
 * The one place two-factor events leave the plugin: on strapi.eventHub as `two-factor.<event>`
 * (the audit trail subscribes) and as a log line naming the account by kind and id only.
 */
const createEvents = ({ strapi }: { strapi: Core.Strapi }) => ({
  async emit(event: TwoFactorEventName, owner: Owner, extra: { by?: TwoFactorEvent['by']; details?: Record<string, unknown> } = {}) {
    const ctx = strapi.requestContext.get() as RequestContext;
    const header = (name: string) => (ctx?.get?.(name) || '').slice(0, 512) || null;
    const payload: TwoFactorEvent = {
      event,
      userKind: owner.kind,
      userId: owner.id,
      by: extra.by ?? null,
      ip: ctx?.ip ?? null,
      userAgent: header('user-agent'),
      requestId: header('x-request-id'),
      details: extra.details ?? {},
    };
    strapi.log.info(`two-factor: ${event} for ${owner.kind} ${owner.id}${payload.by ? ` by ${payload.by.kind} ${payload.by.id ?? ''}`.trimEnd() : ''}`);
    await strapi.eventHub.emit(`two-factor.${event}`, payload);
  },
});

export type EventsService = ReturnType<typeof createEvents>;
export default createEvents;
