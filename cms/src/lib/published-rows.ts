import type { Core } from '@strapi/strapi';
import { contentTypes, errors } from '@strapi/utils';
import { PART_OF } from './draft-and-publish';

/**
 * A database read that sees published rows only, through every relation.
 *
 * Strapi keeps a draft and a published row per document. A row of a type without drafts (a round, a
 * lineup entry) is linked to both rows of its event and artist, and to the draft alone while they were
 * never published; a document's `localizations` are every row with its document id, drafts included.
 * A read's `status` limits only the rows it returns and populates: a relation filter or a sort joins
 * every linked row, so `filters[event][title][$contains]` on rounds matched an unpublished title, and
 * `$not` or a sort told the draft from the published text letter by letter.
 *
 * So, in the where of a read (and of each populate in it), a filter through a relation to a type with
 * drafts is answered by a subquery over published rows only: "rows linked to a published row that
 * matches" (or "to none", for `$null`), which also keeps `$not` around it exact. A sort through such a
 * relation is refused: Strapi's join cannot be limited to published rows. Rows that are part of a
 * document (PART_OF) are read only while that document is published.
 */

type Where = Record<string, unknown>;
/** What of a database query (or of a populate in one) says which rows: its where, sort and populates. */
export type ReadQuery = { where?: unknown; orderBy?: unknown; populate?: unknown };
type Attribute = { type: string; target?: string };

const PUBLISHED: Where = { publishedAt: { $notNull: true } };
const GROUPS = new Set(['$and', '$or']);

/** A plain object of a where or a populate (not a list, and not a knex subquery already in one). */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

const truthy = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';

/**
 * What a filter on a relation asks of the related rows: a where on them, or only whether there is
 * one. Strapi reads an operator other than `$and`/`$or` on the relation itself (`event: { $null: true }`,
 * `event: { $in: [1, 2] }`) as one on the related row's id, and a bare value as its id.
 */
type Ask = { where: unknown } | { linked: boolean };
function askOf(value: unknown): Ask {
  if (!isRecord(value)) return { where: { id: value } };
  const keys = Object.keys(value);
  const [operator] = keys;
  if (keys.length !== 1 || !operator.startsWith('$') || GROUPS.has(operator)) return { where: value };
  const operand = value[operator];
  if (operator === '$null') return { linked: !truthy(operand) };
  if (operator === '$notNull') return { linked: truthy(operand) };
  if (operator === '$not') return { where: { $not: operand } };
  return { where: { id: { [operator]: operand } } };
}

/** The leftmost path of a sort from `key` (`event.title`), to say which one is refused. */
const sortPath = (key: string, value: unknown): string =>
  isRecord(value) && Object.keys(value).length > 0 ? `${key}.${sortPath(Object.keys(value)[0], Object.values(value)[0])}` : key;

export function createPublishedRows(strapi: Core.Strapi) {
  const attributesOf = (uid: string) => strapi.db.metadata.get(uid).attributes as Record<string, Attribute>;
  const targetOf = (uid: string, key: string) => {
    const attribute = attributesOf(uid)[key];
    return attribute?.type === 'relation' ? attribute.target : undefined;
  };
  const hasDrafts = (uid: string) => {
    const model = strapi.getModel(uid as never);
    return Boolean(model) && contentTypes.hasDraftAndPublish(model as never);
  };
  /** A subquery: `column` of the rows of `uid` that match `where` (Strapi's own query builder, so the same joins). */
  const subquery = (uid: string, column: string, where: unknown) =>
    strapi.db.entityManager.createQueryBuilder(uid).select(column).where(where as Where).getKnexQuery();

  /** `key` of a row of `uid` leads to a published row that matches `ask` (or, for `linked: false`, to none). */
  function throughPublished(uid: string, key: string, target: string, ask: Ask): Where {
    if ('linked' in ask) {
      const linked = subquery(uid, 'id', { [key]: PUBLISHED });
      return { id: ask.linked ? { $in: linked } : { $notIn: linked } };
    }
    return { id: { $in: subquery(uid, 'id', { [key]: { $and: [publishedWhere(target, ask.where), PUBLISHED] } }) } };
  }

  /** A where on rows of `uid` in which every relation to a type with drafts sees published rows only. */
  function publishedWhere(uid: string, where: unknown): unknown {
    if (Array.isArray(where)) return where.map((sub) => publishedWhere(uid, sub));
    if (!isRecord(where)) return where;
    const kept: Where = {};
    const through: Where[] = [];
    for (const [key, value] of Object.entries(where)) {
      const target = targetOf(uid, key);
      if (GROUPS.has(key) || key === '$not') kept[key] = publishedWhere(uid, value);
      else if (target && hasDrafts(target)) through.push(throughPublished(uid, key, target, askOf(value)));
      else if (target) kept[key] = publishedWhere(target, value);
      else kept[key] = value;
    }
    if (through.length === 0) return kept;
    return { $and: [kept, ...through].filter((part) => Object.keys(part).length > 0) };
  }

  function refuseSortThroughDrafts(uid: string, orderBy: unknown) {
    if (Array.isArray(orderBy)) return orderBy.forEach((part) => refuseSortThroughDrafts(uid, part));
    if (!isRecord(orderBy)) return;
    for (const [key, value] of Object.entries(orderBy)) {
      const target = targetOf(uid, key);
      if (!target) continue;
      if (hasDrafts(target)) {
        throw new errors.ValidationError(`Cannot sort by ${sortPath(key, value)}: a sort through "${key}" would count its unpublished versions`);
      }
      refuseSortThroughDrafts(target, value);
    }
  }

  /** The same populate, each populated relation's own filters and sort held to published rows. */
  function publishedPopulate(uid: string, populate: unknown): unknown {
    // `true`, `*` and lists of names populate without filters or sorts of their own.
    if (!isRecord(populate)) return populate;
    return Object.fromEntries(
      Object.entries(populate).map(([key, value]) => {
        if (!isRecord(value)) return [key, value];
        const target = targetOf(uid, key);
        if (target) return [key, publishedQuery(target, value)];
        // Dynamic zones and morph relations: one populate per type (`on`).
        if (isRecord(value.on)) {
          return [key, { ...value, on: Object.fromEntries(Object.entries(value.on).map(([type, sub]) => [type, isRecord(sub) ? publishedQuery(type, sub) : sub])) }];
        }
        return [key, value];
      })
    );
  }

  function publishedQuery<T extends ReadQuery>(uid: string, query: T): T {
    refuseSortThroughDrafts(uid, query.orderBy);
    const held = { ...query };
    if (query.where !== undefined) held.where = publishedWhere(uid, query.where);
    if (query.populate !== undefined) held.populate = publishedPopulate(uid, query.populate);
    return held;
  }

  /** `where` plus: the document this row is part of is published (any of its languages). */
  function partOfPublished(uid: string, where: unknown): unknown {
    const key = PART_OF[uid];
    const target = key && targetOf(uid, key);
    if (!target) return where;
    const ofPublished = { [key]: { documentId: { $in: subquery(target, 'documentId', PUBLISHED) } } };
    // A subquery rather than a join of the read itself, which Strapi would then make DISTINCT over every column.
    const published = { id: { $in: subquery(uid, 'id', ofPublished) } };
    return where === undefined ? published : { $and: [where, published] };
  }

  return {
    /**
     * Holds a database query (the params of a findMany, findOne or count) to published rows, in place.
     * Populates of rounds and lineup entries need no PART_OF check: they are only reached from an
     * event, and a published read populates published events only.
     */
    holdToPublished(uid: string, params: ReadQuery) {
      Object.assign(params, publishedQuery(uid, params));
      const where = partOfPublished(uid, params.where);
      if (where !== undefined) params.where = where;
    },
  };
}
