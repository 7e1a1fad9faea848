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

const isLocalized = (model: Struct.ContentTypeSchema) => Boolean((model.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized);

/** The locale an action names: one locale, '*' for all, null for a type without locales, undefined for the default one. */
function namedLocale(model: Struct.ContentTypeSchema, params: Params): string | null | undefined {
  if (!isLocalized(model)) return null;
  if (Array.isArray(params.locale)) return params.locale.join(',');
  if (typeof params.locale === 'string') return params.locale;
  return undefined;
}

/** The locale an action names, the default one looked up when it names none (a query: only where no write says it). */
async function localeOf(strapi: Core.Strapi, model: Struct.ContentTypeSchema, params: Params): Promise<string | null> {
  const named = namedLocale(model, params);
  if (named !== undefined) return named;
  return (await strapi.plugin('i18n')?.service('locales')?.getDefaultLocale?.()) ?? null;
}

type Rows = Record<string, unknown>[];

/** The document's rows in `locale` (all of them for '*' or when not known yet), with the linked attributes asked for. */
async function rowsOf(strapi: Core.Strapi, model: Struct.ContentTypeSchema, documentId: string | undefined, locale: string | null | undefined, populate: Record<string, unknown>) {
  if (!documentId) return [];
  const where: Record<string, unknown> = { documentId };
  if (locale && locale !== '*') where.locale = locale.includes(',') ? { $in: locale.split(',') } : locale;
  return (await strapi.db.query(model.uid as UID.ContentType).findMany({ where, populate, orderBy: { id: 'asc' } })) as Rows;
}

/** The rows of the locale the write turned out to touch (when it named none, the default: the result says which). */
const inLocale = (rows: Rows, locale: string | null) => (locale && locale !== '*' && !locale.includes(',') ? rows.filter((row) => row.locale === locale) : rows);

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
      const named = namedLocale(model, params);
      const populate = populateFor(model, ctx.action, (params as { data?: unknown }).data);
      const creates = ctx.action === 'create' || ctx.action === 'clone';
      // Without a named locale the write touches the default one: every locale's rows are read
      // before (one query either way), and those of the locale the result names are kept.
      const rowsBefore = creates ? [] : await rowsOf(strapi, model, params.documentId, named, populate);
      const result = (await next()) as Result;
      const documentId = creates ? (result?.documentId ?? result?.entries?.[0]?.documentId) : params.documentId;
      const locale = named !== undefined ? named : (result?.locale ?? result?.entries?.[0]?.locale ?? (await localeOf(strapi, model, params)));
      const before = snapshotOf(model, inLocale(rowsBefore, locale));
      const after = snapshotOf(model, await rowsOf(strapi, model, documentId, locale, populate));
      if (!changed(result, before, after)) return result as Awaited<ReturnType<typeof next>>;
      await getService(strapi, 'ledger').append({
        actor: getService(strapi, 'actors').current(),
        action: getService(strapi, 'actors').actionOf(ctx.uid, ctx.action),
        contentType: ctx.uid,
        documentId: documentId ?? null,
        locale,
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
