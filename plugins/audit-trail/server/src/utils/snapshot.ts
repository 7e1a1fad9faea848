import type { Struct } from '@strapi/strapi';
import { canonicalJson } from './canonical';
import type { Diff } from './entry';
import { isRedacted, REDACTED, scrubValue } from './redact';

/** Bookkeeping every write changes, or that the entry records in columns of its own. */
const BOOKKEEPING = new Set(['id', 'documentId', 'locale', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'localizations']);
/** What a component's fields are compared without: its row id changes when Strapi rewrites it. */
const COMPONENT_BOOKKEEPING = new Set(['id', '__temp_key__']);

type Row = Record<string, unknown>;
type Attribute = Struct.ContentTypeSchema['attributes'][string];

/** One document's versions (draft, published; per locale when several): their fields, not yet redacted. */
export type Snapshot = Record<string, Row>;

const isLinked = (attribute: Attribute) => ['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type);

/**
 * What the snapshot reads besides a document's own columns: of a relation, the linked documents'
 * ids only; of media, each file's id and name; components whole (their own fields).
 */
const populates = new WeakMap<Struct.ContentTypeSchema, Record<string, unknown>>();

/** The linked attributes (relations, media, components, dynamic zones) the diff shows, and what of each to read. */
function linkedAttributes(model: Struct.ContentTypeSchema): Record<string, unknown> {
  const known = populates.get(model);
  if (known) return known;
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (BOOKKEEPING.has(name) || !isLinked(attribute)) continue;
    if (attribute.type === 'relation') {
      // Relations to morphs and to Strapi's own admin users are bookkeeping, not content.
      if (!('target' in attribute) || !attribute.target || String(attribute.target).startsWith('admin::')) continue;
      populate[name] = { select: ['id', 'documentId'] };
    } else if (attribute.type === 'media') populate[name] = { select: ['id', 'name'] };
    else populate[name] = true;
  }
  populates.set(model, populate);
  return populate;
}

/**
 * What the snapshot reads besides a document's own columns: of a relation, the linked documents'
 * ids only; of media, each file's id and name; components whole (their own fields). An update
 * changes only what its data names, so only those are read for it (one query each); the other
 * actions (create, delete, publish, …) may change any, so all are.
 */
export function populateFor(model: Struct.ContentTypeSchema, action: string, data: unknown): Record<string, unknown> {
  const all = linkedAttributes(model);
  if (action !== 'update') return all;
  const named = data && typeof data === 'object' ? Object.keys(data) : [];
  return Object.fromEntries(named.filter((name) => name in all).map((name) => [name, all[name]]));
}

/** A linked value as the diff shows it: documents by documentId, files as "#id name", components by their fields. */
function linkedValue(attribute: Attribute, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const items = value.map((item) => linkedValue(attribute, item));
    // A relation's order carries no meaning; a component list's and a dynamic zone's does.
    return attribute.type === 'relation' || attribute.type === 'media' ? items.map(String).sort() : items;
  }
  const item = value as Row;
  if (attribute.type === 'relation') return item.documentId ?? item.id ?? null;
  if (attribute.type === 'media') return `#${item.id} ${item.name ?? ''}`.trim();
  return Object.fromEntries(
    Object.entries(item)
      .filter(([key]) => !COMPONENT_BOOKKEEPING.has(key))
      .map(([key, field]) => [key, field instanceof Date ? field.toISOString() : field])
  );
}

export function snapshotOf(model: Struct.ContentTypeSchema, rows: Row[]): Snapshot | null {
  if (!rows.length) return null;
  const locales = new Set(rows.map((row) => row.locale ?? ''));
  const snapshot: Snapshot = {};
  for (const row of rows) {
    const status = row.publishedAt ? 'published' : 'draft';
    const key = locales.size > 1 ? `${row.locale}/${status}` : status;
    const fields: Row = {};
    for (const [name, attribute] of Object.entries(model.attributes)) {
      // A linked attribute that was not read is absent from the row: it is not part of this diff.
      if (BOOKKEEPING.has(name) || !(name in row)) continue;
      const value = row[name];
      fields[name] = isLinked(attribute) ? linkedValue(attribute, value) : value instanceof Date ? value.toISOString() : value;
    }
    snapshot[key] = fields;
  }
  return snapshot;
}

/** Secrets and personal data out: a changed password shows as changed, never as its value. */
function redacted(model: Struct.ContentTypeSchema, snapshot: Snapshot | null): Snapshot | null {
  if (!snapshot) return null;
  return Object.fromEntries(
    Object.entries(snapshot).map(([version, fields]) => [
      version,
      Object.fromEntries(
        Object.entries(fields).map(([name, value]) => [
          name,
          isRedacted(name, model.attributes[name]) && value !== null && value !== undefined ? REDACTED : scrubValue(value),
        ])
      ),
    ])
  );
}

/**
 * The fields that differ between two snapshots, version by version (compared before redaction), then
 * redacted; a version that appears or goes is shown whole.
 */
export function diffOf(model: Struct.ContentTypeSchema, before: Snapshot | null, after: Snapshot | null): Diff {
  if (!before || !after) return { before: redacted(model, before), after: redacted(model, after) };
  const changedBefore: Snapshot = {};
  const changedAfter: Snapshot = {};
  for (const version of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[version];
    const is = after[version];
    if (!was || !is) {
      if (was) changedBefore[version] = was;
      if (is) changedAfter[version] = is;
      continue;
    }
    for (const field of new Set([...Object.keys(was), ...Object.keys(is)])) {
      if (canonicalJson(was[field]) === canonicalJson(is[field])) continue;
      (changedBefore[version] ??= {})[field] = was[field] ?? null;
      (changedAfter[version] ??= {})[field] = is[field] ?? null;
    }
  }
  return { before: redacted(model, changedBefore), after: redacted(model, changedAfter) };
}
