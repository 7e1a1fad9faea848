import { errors } from '@strapi/utils';
import type { z } from 'zod';

/** A refusal naming its field, in Strapi's error shape (`details.errors[].path`, as Strapi's own validation). */
export const invalid = (path: string, message: string) =>
  new errors.ValidationError(`${path}: ${message}`, { errors: [{ path: [path], message, name: 'ValidationError' }] });

/** What `parse` needs of a schema: zod 3's and zod 4's (the routes' declared schemas) alike. */
type Parser<T> = { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

/** Parses input with a zod schema; what fails is one ValidationError naming every field. */
export function parse<T>(schema: z.ZodType<T> | Parser<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, name: 'ValidationError' }));
  return (() => {
    throw new errors.ValidationError(issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '), { errors: issues });
  })();
}

/** Several problems at once, each at its path under `prefix` (`rules.all.1.field`). */
export function invalidAll(prefix: string[], issues: { path: string[]; message: string }[]) {
  const named = issues.map((issue) => ({ path: [...prefix, ...issue.path], message: issue.message, name: 'ValidationError' }));
  return new errors.ValidationError(named.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '), { errors: named });
}
