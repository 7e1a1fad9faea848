import type { Core } from '@strapi/strapi';
import type { ACTIONS } from '../utils/entry';
import { getService } from '../utils/get-service';

type Action = (typeof ACTIONS)[number];

/** What plugins/two-factor emits as `two-factor.<event>` (its `services/events.ts`); never a code or a secret. */
type TwoFactorEvent = {
  event: string;
  userKind: 'admin' | 'user';
  userId: number;
  by: { kind: 'admin' | 'script'; id: number | null } | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
};

const SUBJECTS = { admin: 'admin::user', user: 'plugin::users-permissions.user' } as const;
const PREFIX = 'two-factor.';

/**
 * Two-factor events, each one entry on the account it concerns, by whoever acted: the account
 * itself, or the admin (or script) that reset it. They are emitted after the change committed (a
 * refused code changes nothing but counters), so each is appended in a transaction of its own; one
 * that cannot be written is logged, and the sign-in it belongs to is not undone.
 */
export function recordTwoFactor(strapi: Core.Strapi) {
  strapi.eventHub.subscribe(async (name: string, payload: unknown) => {
    if (!name.startsWith(PREFIX)) return;
    const event = payload as TwoFactorEvent;
    const subject = SUBJECTS[event.userKind];
    if (!subject) return;
    const actors = getService(strapi, 'actors');
    const identity =
      event.by?.kind === 'admin' ? { kind: 'admin' as const, id: String(event.by.id) } : event.by ? undefined : { kind: event.userKind, id: String(event.userId) };
    const actor = actors.current(identity);
    try {
      await strapi.db.transaction(() =>
        getService(strapi, 'ledger').append({
          actor: { ...actor, ip: event.ip ?? actor.ip, userAgent: event.userAgent ?? actor.userAgent, requestId: event.requestId ?? actor.requestId },
          action: name as Action,
          contentType: subject,
          documentId: String(event.userId),
          locale: null,
          diff: { before: null, after: Object.keys(event.details).length > 0 ? event.details : null },
          outcome: name === 'two-factor.failed' ? 'failure' : 'success',
          error: name === 'two-factor.failed' ? { name: 'ValidationError', message: 'Invalid code' } : null,
        })
      );
    } catch (error) {
      strapi.log.error(`audit-trail: a ${name} was not recorded: ${(error as Error).message}`);
    }
  });
}
