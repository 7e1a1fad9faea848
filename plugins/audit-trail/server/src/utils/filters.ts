import { errors } from '@strapi/utils';
import { z } from 'zod';
import { ACTIONS, ACTOR_KINDS, ORIGINS } from './entry';

const isoDate = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 date')
  .transform((value) => new Date(value).toISOString());

const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'malformed cursor')
  .transform((value, ctx) => {
    const seq = Number(Buffer.from(value, 'base64url').toString('utf8').replace(/^seq:/, ''));
    if (!Number.isSafeInteger(seq) || seq < 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'malformed cursor' });
      return z.NEVER;
    }
    return seq;
  });

/** The filters the entries list takes; any other query parameter is refused. */
export const entryFilters = z
  .object({
    actorKind: z.enum(ACTOR_KINDS).optional(),
    actorId: z.string().max(64).optional(),
    origin: z.enum(ORIGINS).optional(),
    action: z.enum(ACTIONS).optional(),
    contentType: z.string().max(255).optional(),
    documentId: z.string().max(64).optional(),
    outcome: z.enum(['success', 'failure']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    cursor: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export type EntryFilters = z.infer<typeof entryFilters>;

export const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');

/** The export takes the entries list's filters, all of them, and its format; no page. */
export const exportFilters = entryFilters.omit({ cursor: true, limit: true }).extend({ format: z.enum(['csv', 'ndjson']) }).strict();

export type ExportFilters = z.infer<typeof exportFilters>;

/** The checkpoints list: newest first, by cursor. */
export const checkpointFilters = z
  .object({ cursor: cursor.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export type CheckpointFilters = z.infer<typeof checkpointFilters>;

/** The query, or Strapi's ValidationError (400) naming what is wrong. */
function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  throw new errors.ValidationError(`Invalid filter ${where}: ${issue.message}`, { issues: parsed.error.issues });
}

export const parseEntryFilters = (query: unknown): EntryFilters => parseQuery(entryFilters, query);
export const parseExportFilters = (query: unknown): ExportFilters => parseQuery(exportFilters, query);
export const parseCheckpointFilters = (query: unknown): CheckpointFilters => parseQuery(checkpointFilters, query);
