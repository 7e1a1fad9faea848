import { z } from 'zod/v4';
import { LINK_PLATFORMS, type ClaimPreview, type ClaimResult, type Dashboard, type MyProfile } from '../../../shared/contracts';

/**
 * The public routes' request and response bodies as schemas, declared on the routes (`request`,
 * `response`) for the OpenAPI document; the controllers parse requests with the same schemas
 * (utils/validation.ts). Each response schema is checked against its contract type below, so a
 * change to one without the other does not compile.
 */

/** `POST /claims/:token`: the account to create. */
export const ClaimBody = z
  .object({
    username: z.string().trim().min(3).max(60).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dots, dashes and underscores only'),
    email: z.string().trim().toLowerCase().email().max(254),
    password: z.string().min(1).max(128).describe("Ovation's password policy applies (at least 12 characters)"),
  })
  .strict();

const ProfileText = (max: number) => z.string().max(max).nullable().describe('Blank is none');

/** `PUT /me/profile`: the artist's proposed text and links (the platform of each is recognised from its address). */
export const ProfileBody = z
  .object({
    bio: z.object({ en: ProfileText(4000), es: ProfileText(4000) }).strict(),
    genre: ProfileText(60),
    links: z.array(z.object({ url: z.string().max(500).describe('An https address') }).strict()).max(10),
  })
  .strict();

export const ClaimParams = { token: z.string().describe('The token of a claim link (/artist/claim/<token> on the site)') };

const ArtistRef = z.object({ name: z.string(), slug: z.string() });
const ArtistLinkSchema = z.object({ platform: z.enum(LINK_PLATFORMS), url: z.string() });
const ProfileFieldsShape = {
  bio: z.object({ en: z.string().nullable(), es: z.string().nullable() }),
  genre: z.string().nullable(),
  links: z.array(ArtistLinkSchema),
  avatar: z.object({ url: z.string() }).nullable(),
};

const ClaimPreviewSchema = z.object({ artist: ArtistRef, expiresAt: z.string() });
const ClaimResultSchema = z.object({ artist: ArtistRef, user: z.object({ username: z.string(), email: z.string() }) });
const MyProfileSchema = z.object({
  artist: z.object({ documentId: z.string(), name: z.string(), slug: z.string() }),
  published: z.object(ProfileFieldsShape),
  pending: z.object({ ...ProfileFieldsShape, id: z.number().int(), updatedAt: z.string() }).nullable().describe('The change waiting for an editor, if any'),
});
const DashboardSchema = z.object({
  artist: ArtistRef,
  events: z.array(
    z.object({
      event: z.object({ slug: z.string(), title: z.string(), startsAt: z.string().nullable(), phase: z.string() }),
      code: z.string(),
      fansJoined: z.number().int().describe('Fans who joined the event: a count, never a fan'),
      rounds: z.array(
        z.object({
          number: z.number().int(),
          title: z.string().nullable(),
          state: z.string(),
          votes: z.number().int(),
          totalVotes: z.number().int(),
          share: z.number(),
          rank: z.number().int().nullable(),
          entries: z.number().int(),
        })
      ),
      votesOverTime: z.array(z.object({ minute: z.string(), votes: z.number().int() })).describe("This artist's votes per minute (UTC minute starts), oldest first"),
    })
  ),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches = <T extends true>(): T | undefined => undefined;
matches<Same<z.infer<typeof ClaimPreviewSchema>, ClaimPreview>>();
matches<Same<z.infer<typeof ClaimResultSchema>, ClaimResult>>();
matches<Same<z.infer<typeof MyProfileSchema>, MyProfile>>();
matches<Same<z.infer<typeof DashboardSchema>, Dashboard>>();

export const ClaimPreviewResponse = z.object({ data: ClaimPreviewSchema });
export const ClaimResultResponse = z.object({ data: ClaimResultSchema });
export const MyProfileResponse = z.object({ data: MyProfileSchema });
export const DashboardResponse = z.object({ data: DashboardSchema });
