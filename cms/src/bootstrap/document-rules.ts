import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { sanitizeBlocks } from '../lib/rich-text';

type Context = Modules.Documents.Middleware.Context;
type Data = Record<string, unknown>;

const WRITES = new Set(['create', 'update', 'clone']);

const upperTrim = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** Normalises what editors and clients type, before Strapi's validation sees it. */
function normalize(ctx: Context) {
  const data = (ctx.params as { data?: Data }).data;
  if (!data || !WRITES.has(ctx.action)) return;
  if (ctx.uid === 'api::event.event' && 'keyword' in data) {
    // Keywords are matched case-insensitively, so they are stored in one case and the unique check holds.
    data.keyword = upperTrim(data.keyword) || null;
  }
  if (ctx.uid === 'api::lineup-entry.lineup-entry' && 'vote_code' in data) {
    data.vote_code = upperTrim(data.vote_code);
  }
  if (ctx.uid === 'api::post.post' && 'body' in data) {
    data.body = sanitizeBlocks(data.body);
  }
}

/**
 * Rounds and lineup entries carry their event's (and artist's) document id in a column of their own,
 * so the database can hold "one vote code per event", "one entry per artist per event" and "one round
 * number per event" as unique indexes (Strapi keeps relations in link tables, out of reach of an index),
 * and the vote path finds an entry without joins. They are refreshed in the write's transaction.
 */
const REFERENCES: Record<string, Record<string, string>> = {
  'api::round.round': { event: 'event_ref' },
  'api::lineup-entry.lineup-entry': { event: 'event_ref', artist: 'artist_ref' },
};

async function syncReferences(strapi: Core.Strapi, uid: string, id: number) {
  const refs = REFERENCES[uid];
  const populate = Object.fromEntries(Object.keys(refs).map((relation) => [relation, { select: ['documentId'] }]));
  const row = await strapi.db.query(uid as never).findOne({ where: { id }, populate });
  if (!row) return;
  const data = Object.fromEntries(
    Object.entries(refs).map(([relation, column]) => [column, (row[relation] as Data | null)?.documentId ?? null])
  );
  await strapi.db.query(uid as never).update({ where: { id }, data });
}

/**
 * An artist's claim status moves only with their invitation and claim (the artist portal writes it):
 * a write that would change it is refused, and one that sends it unchanged (the Content Manager's
 * form sends every field) passes.
 */
async function keepClaimStatus(strapi: Core.Strapi, ctx: Context) {
  const data = (ctx.params as { data?: Data }).data;
  if (ctx.uid !== 'api::artist.artist' || !data || !('claim_status' in data) || !WRITES.has(ctx.action)) return;
  const { documentId } = ctx.params as { documentId?: string };
  const stored = ctx.action === 'create' ? null : ((await strapi.db.query('api::artist.artist').findOne({ where: { documentId }, select: ['claim_status'] })) as { claim_status: string } | null);
  if (data.claim_status === (stored?.claim_status ?? 'unclaimed')) return;
  throw new errors.ValidationError("An artist's claim status changes only by inviting them and their claim", {
    errors: [{ path: ['claim_status'], message: 'Set by the invitation and the claim', name: 'ValidationError' }],
  });
}

export function registerDocumentRules(strapi: Core.Strapi) {
  const middleware: Modules.Documents.Middleware.Middleware = async (ctx, next) => {
    if (ctx.uid === 'api::consent-record.consent-record' && ['update', 'delete'].includes(ctx.action)) {
      throw new errors.ForbiddenError('Consent records are append-only: they are never updated or deleted');
    }
    normalize(ctx);
    await keepClaimStatus(strapi, ctx);
    if (!(ctx.uid in REFERENCES) || !WRITES.has(ctx.action)) return next();

    return strapi.db.transaction(async () => {
      const result = (await next()) as { id?: number; entries?: { id: number }[] } | null;
      const ids = result?.entries?.map((entry) => entry.id) ?? (result?.id ? [result.id] : []);
      for (const id of ids) await syncReferences(strapi, ctx.uid, id);
      return result as Awaited<ReturnType<typeof next>>;
    });
  };
  strapi.documents.use(middleware);
}
