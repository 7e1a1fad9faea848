import { errors } from '@strapi/utils';
import { z } from 'zod/v4';
import type { ArtistLink } from '../../../shared/contracts';
import { checkArtistLink } from '../../../shared/links';
import type { ProfileBody } from '../routes/schemas';

/** The input, or Strapi's ValidationError (400) naming the first field that is wrong. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new errors.ValidationError(`${issue.path.join('.') || 'body'}: ${issue.message}`, { issues: parsed.error.issues });
}

export type ProfileInput = { bio: { en: string | null; es: string | null }; genre: string | null; links: ArtistLink[] };

/**
 * What an artist proposes (`ProfileBody` parsed), tidied: blank text is none, and each link is
 * checked and its platform recognised from the address, never taken from the client.
 */
export function profileInput(body: z.output<typeof ProfileBody>): ProfileInput {
  const tidy = (value: string | null) => value?.trim() || null;
  const links = body.links.map(({ url }, i) => {
    const check = checkArtistLink(url);
    if (!check.ok) throw new errors.ValidationError(`links.${i}: ${url.slice(0, 80)} ${check.reason}`, { issues: [{ path: ['links', i], message: check.reason }] });
    return { platform: check.platform, url: check.url };
  });
  return { bio: { en: tidy(body.bio.en), es: tidy(body.bio.es) }, genre: tidy(body.genre), links };
}

export const inviteBody = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), to: z.string().trim().toLowerCase().email().max(254), language: z.enum(['en', 'es']).default('en') }).strict(),
  z
    .object({ channel: z.literal('sms'), to: z.string().trim().regex(/^\+[1-9]\d{7,14}$/, 'a phone number in international form, +15551234567'), language: z.enum(['en', 'es']).default('en') })
    .strict(),
]);

export const documentIdParam = z.string().regex(/^[a-z0-9]{10,40}$/, 'not a document id');
