import type { AuditEntry } from '../api';

export type DiffRow = { field: string; before: string | null; after: string | null };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every leaf of a diff side, by its path (`draft.name`, `en/published.bio`): strings as they are, the rest as JSON. */
function leaves(value: unknown, prefix: string, into: Map<string, string>) {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

/**
 * The entry's diff as rows of one field each, before beside after, in field order: a field absent
 * on one side (a create, a delete, an operation's details) shows as null there.
 */
export function diffRows({ diff }: Pick<AuditEntry, 'diff'>): DiffRow[] {
  const before = leaves(diff.before, '', new Map());
  const after = leaves(diff.after, '', new Map());
  const fields = [...new Set([...before.keys(), ...after.keys()])].sort();
  return fields.map((field) => ({ field, before: before.get(field) ?? null, after: after.get(field) ?? null }));
}
