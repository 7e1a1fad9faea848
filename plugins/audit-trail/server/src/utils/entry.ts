import { ACTIONS, ACTOR_KINDS, ORIGINS } from '../../../shared/contracts/entries';
import { canonicalJson, sha256 } from './canonical';

// The lists live in the contract the admin page shares.
export { ACTIONS, ACTOR_KINDS, ORIGINS };

export type ActorKind = (typeof ACTOR_KINDS)[number];
export type Origin = (typeof ORIGINS)[number];

/** Who acted and from where, as the entry records it. */
export type Actor = {
  kind: ActorKind;
  /** Admin user id, API token id, users-permissions user id; null for the public and system actors. */
  id: string | null;
  /** A display name free of emails: token name, admin first and last name, job or script name. */
  name: string | null;
  origin: Origin;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
};

/** The changed attributes, before and after, with secrets and personal fields redacted. */
export type Diff = { before: Record<string, unknown> | null; after: Record<string, unknown> | null };

/** Everything an entry says, except its hash. */
export type EntryContent = {
  seq: number;
  occurredAt: string;
  actor: Actor;
  action: string;
  contentType: string;
  documentId: string | null;
  locale: string | null;
  /** `failure`: the change was refused (validation, permission, not found) and nothing changed. */
  outcome: Outcome;
  diff: Diff;
  /** Why a refused change was refused (Strapi's error name and message, redacted); null on success. */
  error: RefusalReason | null;
  prevHash: string;
};

export type Outcome = 'success' | 'failure';
export type RefusalReason = { name: string; message: string };

export type Entry = EntryContent & { hash: string };

/** The bytes an entry's hash covers: its canonical JSON, format version 1. */
export const canonicalEntry = (entry: EntryContent) => canonicalJson({ v: 1, ...entry });

export const hashEntry = (entry: EntryContent) => sha256(canonicalEntry(entry));

/** An entry as its row stores it (one column per field; the diff as canonical JSON text). */
export type EntryRow = {
  seq: number | string;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  origin: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  action: string;
  content_type: string;
  document_id: string | null;
  locale: string | null;
  outcome: string;
  diff: string;
  error: string | null;
  prev_hash: string;
  hash: string;
};

export const toRow = (entry: Entry): EntryRow => ({
  seq: entry.seq,
  occurred_at: entry.occurredAt,
  actor_kind: entry.actor.kind,
  actor_id: entry.actor.id,
  actor_name: entry.actor.name,
  origin: entry.actor.origin,
  ip: entry.actor.ip,
  user_agent: entry.actor.userAgent,
  request_id: entry.actor.requestId,
  action: entry.action,
  content_type: entry.contentType,
  document_id: entry.documentId,
  locale: entry.locale,
  outcome: entry.outcome,
  diff: canonicalJson(entry.diff),
  error: entry.error ? canonicalJson(entry.error) : null,
  prev_hash: entry.prevHash,
  hash: entry.hash,
});

export const fromRow = (row: EntryRow): Entry => ({
  seq: Number(row.seq),
  occurredAt: row.occurred_at,
  actor: {
    kind: row.actor_kind as ActorKind,
    id: row.actor_id,
    name: row.actor_name,
    origin: row.origin as Origin,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
  },
  action: row.action,
  contentType: row.content_type,
  documentId: row.document_id,
  locale: row.locale,
  outcome: row.outcome as Outcome,
  diff: JSON.parse(row.diff) as Diff,
  error: row.error ? (JSON.parse(row.error) as RefusalReason) : null,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export const contentOf = ({ hash: _hash, ...content }: Entry): EntryContent => content;
