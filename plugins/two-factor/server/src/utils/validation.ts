import { errors } from '@strapi/utils';
import { z } from 'zod';

/** The body, or Strapi's ValidationError (400) naming the first field that is wrong. */
export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new errors.ValidationError(`${issue.path.join('.') || 'body'}: ${issue.message}`, { issues: parsed.error.issues });
}

// A TOTP code is 6 digits; a recovery code 10 letters and digits, maybe with a dash and spaces. Any
// other string up to 32 characters is a wrong answer (counted), not bad input: only a body that is
// not this shape at all (no code, not a string, longer) is refused uncounted.
export const code = z.string().trim().min(1).max(32);
export const challengeToken = z.string().min(20).max(128);
export const password = z.string().min(1).max(512);

export const verifyBody = z.object({ challenge: challengeToken, code }).strict();
export const challengeBody = z.object({ challenge: challengeToken }).strict();
export const confirmBody = z.object({ code }).strict();
export const passwordAndCode = z.object({ password, code }).strict();
