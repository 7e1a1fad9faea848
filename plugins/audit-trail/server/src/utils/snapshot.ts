import type { Struct } from '@strapi/strapi';
import { canonicalJson } from './canonical';
import type { Diff } from './entry';
import { isRedacted, REDACTED, scrubValue } from './redact';

/** Relations, media and components are left to a later slice: the diff covers a document's own fields. */
const OWN_FIELD_TYPES_EXCLUDED = new Set(['relation', 'media', 'component', 'dynamiczone']);
/** Bookkeeping every write changes, or that the entry records in columns of its own. */
const BOOKKEEPING = new Set(['id', 'documentId', 'locale', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'localizations']);

type Row = Record<string, unknown>;

/** One document's versions (draft, published; per locale when several): their own fields, not yet redacted. */
export type Snapshot = Record<string, Row>;

export function snapshotOf(model: Struct.ContentTypeSchema, rows: Row[]): Snapshot | null {
  if (!rows.length) return null;
  const locales = new Set(rows.map((row) => row.locale ?? ''));
  const snapshot: Snapshot = {};
  for (const row of rows) {
    const status = row.publishedAt ? 'published' : 'draft';
    const key = locales.size > 1 ? `${row.locale}/${status}` : status;
    const fields: Row = {};
    for (const [name, attribute] of Object.entries(model.attributes)) {
      if (BOOKKEEPING.has(name) || OWN_FIELD_TYPES_EXCLUDED.has(attribute.type) || !(name in row)) continue;
      fields[name] = row[name] instanceof Date ? (row[name] as Date).toISOString() : row[name];
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
