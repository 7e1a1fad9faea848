import { errors } from '@strapi/utils';
import { z } from 'zod';
import { checkArtistLink } from '../../../shared/links';

/** The body, or Strapi's ValidationError (400) naming the first field that is wrong. */
export function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new errors.ValidationError(`${issue.path.join('.') || 'body'}: ${issue.message}`, { issues: parsed.error.issues });
}

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => value.trim() || null)
    .nullable();

/** An artist's link: the platform is recognised from the address, never taken from the client. */
const link = z.object({ url: z.string().max(500) }).transform((value, ctx) => {
  const check = checkArtistLink(value.url);
  if (!check.ok) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${value.url.slice(0, 80)} ${check.reason}` });
    return z.NEVER;
  }
  return { platform: check.platform, url: check.url };
});

export const profileBody = z
  .object({
    bio: z.object({ en: text(4000), es: text(4000) }).strict(),
    genre: text(60),
    links: z.array(link).max(10),
  })
  .strict();
export type ProfileBody = z.infer<typeof profileBody>;

const PASSWORD_MAX = 128;
export const claimBody = z
  .object({
    username: z.string().trim().min(3).max(60).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dots, dashes and underscores only'),
    email: z.string().trim().toLowerCase().email().max(254),
    password: z.string().min(1).max(PASSWORD_MAX),
  })
  .strict();

export const inviteBody = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), to: z.string().trim().toLowerCase().email().max(254), language: z.enum(['en', 'es']).default('en') }).strict(),
  z
    .object({ channel: z.literal('sms'), to: z.string().trim().regex(/^\+[1-9]\d{7,14}$/, 'a phone number in international form, +15551234567'), language: z.enum(['en', 'es']).default('en') })
    .strict(),
]);

export const documentIdParam = z.string().regex(/^[a-z0-9]{10,40}$/, 'not a document id');
