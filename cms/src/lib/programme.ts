import type { Core } from '@strapi/strapi';

/**
 * An event's rounds and lineup, in any of the event's languages.
 *
 * Rounds and lineup entries are facts of the event (a number, a state, a vote code), one row shared
 * by every language. Strapi 5 keeps relations per locale, so they are linked to the English row of
 * the event only, and a Spanish event populated the native way comes back with none. Here they are
 * read by `event_ref` (the event's document id, which every row carries, see
 * bootstrap/document-rules.ts) and given in the asked locale: a round's `title` is its Spanish
 * title where one is set, and a lineup's artist is that artist's localization, else the default one.
 */

export const DEFAULT_LOCALE = 'en';

const ROUND = 'api::round.round';
const LINEUP = 'api::lineup-entry.lineup-entry';
const ARTIST = 'api::artist.artist';

/** The event attributes resolved here rather than by Strapi's populate. */
export const PROGRAMME = ['rounds', 'lineup'] as const;
type ProgrammeKey = (typeof PROGRAMME)[number];

type Row = Record<string, unknown> & { documentId: string };
type Status = 'published' | 'draft';

/** What a request asks of one populated relation: Strapi's nested populate object, or `true`. */
export type RelationQuery = {
  populate?: unknown;
  fields?: unknown;
  filters?: Record<string, unknown>;
  sort?: unknown;
  start?: number | string;
  limit?: number | string;
  page?: number | string;
  pageSize?: number | string;
};

export type Reading = { locale: string; status: Status };

const POPULATABLE = new Set(['relation', 'media', 'component', 'dynamiczone']);

/**
 * A populate parameter in any of the forms Strapi accepts (`*`, `true`, `"a,b.c"`, `["a", "b.c"]`, an
 * object), as an object keyed by attribute, so single attributes can be taken out of it.
 */
export function populateObject(strapi: Core.Strapi, uid: string, populate: unknown): Record<string, unknown> {
  if (populate === undefined || populate === null || populate === false || populate === 'false') return {};
  if (populate === true || populate === 'true' || populate === '*') {
    const { attributes } = strapi.getModel(uid as never) as { attributes: Record<string, { type: string; private?: boolean }> };
    return Object.fromEntries(
      Object.entries(attributes)
        .filter(([, attribute]) => POPULATABLE.has(attribute.type) && !attribute.private)
        .map(([name]) => [name, true])
    );
  }
  if (typeof populate === 'string' || Array.isArray(populate)) {
    const paths = ([] as unknown[]).concat(populate).flatMap((path) => String(path).split(',')).map((path) => path.trim()).filter(Boolean);
    const tree: Record<string, unknown> = {};
    for (const path of paths) {
      const [head, ...rest] = path.split('.');
      if (rest.length === 0) {
        tree[head] ??= true;
        continue;
      }
      const branch = typeof tree[head] === 'object' ? (tree[head] as { populate: string[] }) : { populate: [] as string[] };
      branch.populate.push(rest.join('.'));
      tree[head] = branch;
    }
    return tree;
  }
  if (typeof populate === 'object') return { ...(populate as Record<string, unknown>) };
  return {};
}

const asQuery = (value: unknown): RelationQuery | null => {
  if (value === undefined || value === null || value === false || value === 'false') return null;
  return typeof value === 'object' ? (value as RelationQuery) : {};
};

/** Takes the programme's relations out of an event populate, for Strapi to populate the rest. */
export function splitProgramme(strapi: Core.Strapi, populate: unknown) {
  const rest = populateObject(strapi, 'api::event.event', populate);
  const asked: Partial<Record<ProgrammeKey, RelationQuery>> = {};
  for (const key of PROGRAMME) {
    const query = asQuery(rest[key]);
    delete rest[key];
    if (query) asked[key] = query;
  }
  return { populate: rest, asked };
}

const fieldList = (fields: unknown) =>
  fields === undefined || fields === '*' ? undefined : ([] as unknown[]).concat(fields).flatMap((field) => String(field).split(',')).map((field) => field.trim());

/** `fields` plus the columns this module needs to group and translate (private: the response never shows them). */
const withFields = (fields: unknown, needed: string[]) => {
  const list = fieldList(fields);
  return list && [...new Set([...list, ...needed])];
};

const and = (...filters: (Record<string, unknown> | undefined)[]) => ({ $and: filters.filter(Boolean) }) as never;

/** Strapi's populate pagination (`start`/`limit` or `page`/`pageSize`), applied within each event. */
function pageOf<T>(rows: T[], query: RelationQuery) {
  const number = (value: unknown) => (value === undefined ? undefined : Number(value));
  const pageSize = number(query.pageSize);
  const start = number(query.start) ?? (pageSize ? ((number(query.page) ?? 1) - 1) * pageSize : 0);
  const limit = number(query.limit) ?? pageSize;
  return rows.slice(start, limit === undefined || limit < 0 ? undefined : start + limit);
}

function groupByEvent<T extends Row>(rows: T[], eventRefs: string[], query: RelationQuery) {
  const grouped = new Map<string, T[]>(eventRefs.map((ref) => [ref, []]));
  for (const row of rows) grouped.get(row.event_ref as string)?.push(row);
  for (const [ref, list] of grouped) grouped.set(ref, pageOf(list, query));
  return grouped;
}

/** A round as read in `locale`: its Spanish title where one is set, the English one otherwise. */
export function translateRound<T extends Record<string, unknown>>(round: T, locale: string): T {
  const translated = locale === 'es' && typeof round.title_es === 'string' && round.title_es.trim() ? round.title_es : round.title;
  return 'title' in round ? { ...round, title: translated } : round;
}

export async function roundsOf(strapi: Core.Strapi, eventRefs: string[], query: RelationQuery, { locale, status }: Reading) {
  if (eventRefs.length === 0) return new Map<string, Row[]>();
  const rows = (await strapi.documents(ROUND).findMany({
    // Rounds have no drafts, but what they populate (their event) is read as the event was.
    status,
    filters: and({ event_ref: { $in: eventRefs } }, query.filters),
    sort: (query.sort ?? [{ number: 'asc' }]) as never,
    fields: withFields(query.fields, ['event_ref', 'title_es']) as never,
    populate: query.populate as never,
  })) as unknown as Row[];
  return groupByEvent(rows.map((round) => translateRound(round, locale)), eventRefs, query);
}

/**
 * Artists by document id in `locale`, each falling back to the default locale when it has no
 * localization there. Only published artists when the event was read published.
 */
export async function artistsIn(strapi: Core.Strapi, documentIds: string[], query: RelationQuery, { locale, status }: Reading) {
  const found = new Map<string, Row>();
  const ids = [...new Set(documentIds.filter(Boolean))];
  for (const candidate of [...new Set([locale, DEFAULT_LOCALE])]) {
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length === 0) break;
    const rows = (await strapi.documents(ARTIST).findMany({
      locale: candidate,
      status,
      filters: and({ documentId: { $in: missing } }, query.filters),
      fields: fieldList(query.fields) as never,
      populate: query.populate as never,
    })) as unknown as Row[];
    for (const row of rows) found.set(row.documentId, row);
  }
  return found;
}

export async function lineupOf(strapi: Core.Strapi, eventRefs: string[], query: RelationQuery, reading: Reading) {
  if (eventRefs.length === 0) return new Map<string, Row[]>();
  const populate = populateObject(strapi, LINEUP, query.populate);
  const artist = asQuery(populate.artist);
  delete populate.artist;
  const entries = (await strapi.documents(LINEUP).findMany({
    status: reading.status, // as for rounds: what an entry populates is read as its event was
    filters: and({ event_ref: { $in: eventRefs } }, query.filters),
    sort: (query.sort ?? [{ order: 'asc' }, { vote_code: 'asc' }]) as never,
    fields: withFields(query.fields, ['event_ref', 'artist_ref']) as never,
    populate: populate as never,
  })) as unknown as Row[];
  if (artist) {
    const artists = await artistsIn(strapi, entries.map((entry) => entry.artist_ref as string), artist, reading);
    for (const entry of entries) entry.artist = artists.get(entry.artist_ref as string) ?? null;
  }
  return groupByEvent(entries, eventRefs, query);
}

const READERS = { rounds: roundsOf, lineup: lineupOf } satisfies Record<ProgrammeKey, unknown>;

/** Puts the asked rounds and lineup on each event, in the event's own locale. */
export async function attachProgramme(strapi: Core.Strapi, events: Row[], asked: Partial<Record<ProgrammeKey, RelationQuery>>, status: Status) {
  const byLocale = new Map<string, Row[]>();
  for (const event of events) {
    const locale = (event.locale as string | undefined) ?? DEFAULT_LOCALE;
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), event]);
  }
  for (const [locale, group] of byLocale) {
    const refs = [...new Set(group.map((event) => event.documentId))];
    for (const key of PROGRAMME) {
      const query = asked[key];
      if (!query) continue;
      const grouped = await READERS[key](strapi, refs, query, { locale, status });
      for (const event of group) event[key] = grouped.get(event.documentId) ?? [];
    }
  }
  return events;
}
