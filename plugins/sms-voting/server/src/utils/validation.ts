import { errors } from '@strapi/utils';
import type { z } from 'zod/v4';

/**
 * The one mapping from a failed schema to Strapi's 400: `error.details.errors` lists each problem's
 * path and message. `onInvalid` runs first (a refused vote is counted).
 */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown, message: string, onInvalid?: () => void): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  onInvalid?.();
  throw new errors.ValidationError(message, {
    errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, name: 'ValidationError' })),
  });
}
