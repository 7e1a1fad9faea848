import { errors } from '@strapi/utils';
import type { z } from 'zod';

/** Parses a request body with `schema`; what does not fit is a ValidationError naming each field. */
export function parseBody<Schema extends z.ZodTypeAny>(schema: Schema, body: unknown): z.infer<Schema> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, name: 'ValidationError' }));
  throw new errors.ValidationError(issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '), { errors: issues });
}
