import type { Core, Modules, Struct, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from './utils/get-service';
import { scrubValue } from './utils/redact';
import { diffOf, populateFor, snapshotOf, type Snapshot } from './utils/snapshot';

type Context = Modules.Documents.Middleware.Context;

/** The Document Service actions that change content; each committed one is one entry. */
const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

type Params = { documentId?: string; locale?: string | string[] | null };
type Result = { documentId?: string; locale?: string; entries?: { documentId?: string; locale?: string }[] } | null;

/** The locale an action names: one locale, '*' for all, or null for a type without locales. */
async function localeOf(strapi: Core.Strapi, model: Struct.ContentTypeSchema, params: Params): Promise<string | null> {
  const localized = Boolean((model.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);
  if (!localized) return null;
  if (Array.isArray(params.locale)) return params.locale.join(',');
  if (typeof params.locale === 'string') return params.locale;
  return (await strapi.plugin('i18n')?.service('locales')?.getDefaultLocale?.()) ?? null;
}

async function snapshot(strapi: Core.Strapi, model: Struct.ContentTypeSchema, documentId: string | undefined, locale: string | null) {
  if (!documentId) return null;
  const where: Record<string, unknown> = { documentId };
  if (locale && locale !== '*') where.locale = locale.includes(',') ? { $in: locale.split(',') } : locale;
  const query = strapi.db.query(model.uid as UID.ContentType);
  const rows = (await query.findMany({ where, populate: populateFor(model), orderBy: { id: 'asc' } })) as Record<string, unknown>[];
  return snapshotOf(model, rows);
}

/** Whether the action changed anything: update of an unknown document, publish of nothing, etc. do not. */
function changed(result: Result, before: Snapshot | null, after: Snapshot | null) {
  if (!result) return false;
  if (result.entries && !result.entries.length) return false;
  return before !== null || after !== null;
}

/**
 * A change refused by a rule (validation, permission, not found: Strapi's ApplicationError family)
 * is recorded as a failure, in a transaction of its own after the change's rolled back. Errors that
 * are not refusals (a database outage, a failed entry) are not: there is nobody to blame and nothing
 * to add. If the refusal cannot be recorded, the caller still gets the refusal.
 */
async function recordRefusal(strapi: Core.Strapi, ctx: Context, model: Struct.ContentTypeSchema, params: Params, error: Error) {
  try {
    await strapi.db.transaction(async () => {
      await getService(strapi, 'ledger').append({
        actor: getService(strapi, 'actors').current(),
        action: getService(strapi, 'actors').actionOf(ctx.uid, ctx.action),
        contentType: ctx.uid,
        documentId: params.documentId ?? null,
        locale: await localeOf(strapi, model, params),
        diff: { before: null, after: null },
        outcome: 'failure',
        error: { name: error.name, message: String(scrubValue(error.message)).slice(0, 500) },
      });
    });
  } catch (failure) {
    strapi.log.error(`audit-trail: a refused ${ctx.action} of ${ctx.uid} was not recorded: ${(failure as Error).message}`);
  }
}

/**
 * Every Document Service write, from any origin (admin, REST, GraphQL, a worker, a script, the
 * seed), appends its entry in the write's own transaction: the middleware opens the transaction
 * (Strapi's repository only joins it: its `wrapInTransaction` reuses the one in progress, see
 * @strapi/database's `transaction`), takes the snapshot before, lets the write happen, takes the
 * snapshot after and appends. If the append fails the whole write rolls back and the caller gets a
 * 500; if the caller's own transaction rolls back later, the entry goes with it.
 */
export function recordDocumentWrites(strapi: Core.Strapi) {
  const middleware: Modules.Documents.Middleware.Middleware = async (ctx: Context, next) => {
    if (!WRITES.has(ctx.action)) return next();
    const model = strapi.contentType(ctx.uid) as Struct.ContentTypeSchema;
    const params = ctx.params as Params;

    // Only a write that owns its transaction can record its refusal: inside a caller's transaction
    // the refusal entry would roll back with the caller (and SQLite has no second connection).
    const ownsTransaction = !strapi.db.inTransaction();
    const attempt = () => strapi.db.transaction(async () => {
      const locale = await localeOf(strapi, model, params);
      const creates = ctx.action === 'create' || ctx.action === 'clone';
      const before = creates ? null : await snapshot(strapi, model, params.documentId, locale);
      const result = (await next()) as Result;
      const documentId = creates ? (result?.documentId ?? result?.entries?.[0]?.documentId) : params.documentId;
      const recordedLocale = locale ?? null;
      const after = await snapshot(strapi, model, documentId, recordedLocale ?? (result?.locale || null));
      if (!changed(result, before, after)) return result as Awaited<ReturnType<typeof next>>;
      await getService(strapi, 'ledger').append({
        actor: getService(strapi, 'actors').current(),
        action: getService(strapi, 'actors').actionOf(ctx.uid, ctx.action),
        contentType: ctx.uid,
        documentId: documentId ?? null,
        locale: recordedLocale,
        diff: diffOf(model, before, after),
      });
      return result as Awaited<ReturnType<typeof next>>;
    });
    try {
      return await attempt();
    } catch (error) {
      if (ownsTransaction && error instanceof errors.ApplicationError) await recordRefusal(strapi, ctx, model, params, error);
      throw error;
    }
  };
  strapi.documents.use(middleware);
}
