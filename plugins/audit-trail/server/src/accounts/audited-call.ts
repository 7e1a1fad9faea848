import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { canonicalJson } from '../utils/canonical';
import type { ACTIONS } from '../utils/entry';
import { scrubValue } from '../utils/redact';
import { getService } from '../utils/get-service';

type Fields = Record<string, unknown>;

/** What one change of Strapi's own (an admin user, a role, a token) is recorded as. */
export type AccountChange = {
  action: (typeof ACTIONS)[number];
  subject: string;
  id: string | number | null;
  before: Fields | null;
  after: Fields | null;
};

/** The fields that differ (compared before redaction); null when none do. */
export function changedFields(before: Fields, after: Fields): { before: Fields; after: Fields } | null {
  const was: Fields = {};
  const is: Fields = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (canonicalJson(before[field]) === canonicalJson(after[field])) continue;
    was[field] = before[field] ?? null;
    is[field] = after[field] ?? null;
  }
  return Object.keys(is).length ? { before: was, after: is } : null;
}

/** Permissions as a diff: those removed on the "before" side, those added on the "after" side; null when the same. */
export function permissionChanges(before: string[], after: string[]): { before: Fields; after: Fields } | null {
  const removed = before.filter((permission) => !after.includes(permission)).sort();
  const added = after.filter((permission) => !before.includes(permission)).sort();
  if (!removed.length && !added.length) return null;
  return { before: { permissions: removed }, after: { permissions: added } };
}

async function append(strapi: Core.Strapi, change: AccountChange, failure?: Error) {
  const actors = getService(strapi, 'actors');
  await getService(strapi, 'ledger').append({
    actor: actors.current(),
    // Named by the route that made it where one does (an admin's password reset is that user's update).
    action: actors.actionOf(change.subject, change.action),
    contentType: change.subject,
    documentId: change.id === null ? null : String(change.id),
    locale: null,
    diff: { before: scrubValue(change.before) as Fields | null, after: scrubValue(change.after) as Fields | null },
    ...(failure ? { outcome: 'failure' as const, error: { name: failure.name, message: String(scrubValue(failure.message)).slice(0, 500) } } : {}),
  });
}

type Maybe = AccountChange | null | undefined | false;

type Plan<T, S> = {
  /** Read before the write, in its transaction. */
  before?: () => Promise<S>;
  /** The entries the write makes (none when nothing changed), read in its transaction. */
  changes: (result: T, before: S) => Promise<Maybe[]> | Maybe[];
  /** What a refused attempt is recorded as (Strapi's ApplicationError family: validation, not found…). */
  refused?: Omit<AccountChange, 'before' | 'after'>;
};

/**
 * `original`, with its entries appended in its own transaction: Strapi's services for admin users,
 * roles and tokens write with `strapi.db.query`, which joins the transaction in progress, so the
 * change and its entries commit together, and if an entry cannot be written the change fails with
 * it. A refusal is recorded as a failure in a transaction of its own once the change's rolled back
 * (only when the call owns its transaction, as for document writes).
 */
export function audited<A extends unknown[], T, S>(
  strapi: Core.Strapi,
  original: (...args: A) => Promise<T>,
  plan: (...args: A) => Plan<T, S>
): (...args: A) => Promise<T> {
  return async (...args: A) => {
    const steps = plan(...args);
    const ownsTransaction = !strapi.db.inTransaction();
    try {
      return await strapi.db.transaction(async () => {
        const before = (steps.before ? await steps.before() : undefined) as S;
        const result = await original(...args);
        for (const change of await steps.changes(result, before)) if (change) await append(strapi, change);
        return result;
      });
    } catch (error) {
      if (ownsTransaction && steps.refused && error instanceof errors.ApplicationError) {
        await strapi.db
          .transaction(() => append(strapi, { ...steps.refused!, before: null, after: null }, error))
          .catch((failure: Error) => strapi.log.error(`audit-trail: a refused ${steps.refused!.action} was not recorded: ${failure.message}`));
      }
      throw error;
    }
  };
}

/** Replaces methods of a registered service with audited ones, for this app only (the registry keeps the new object). */
export function extendService<S extends object>(strapi: Core.Strapi, uid: string, extend: (service: S) => Partial<S>) {
  const registry = strapi.get('services') as { get(uid: string): unknown; extend(uid: string, fn: (service: S) => S): void };
  if (!registry.get(uid)) return;
  registry.extend(uid, (service) => Object.assign(Object.create(Object.getPrototypeOf(service)), service, extend(service)));
}
