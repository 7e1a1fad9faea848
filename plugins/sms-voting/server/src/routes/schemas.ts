import { z } from 'zod/v4';
import { isIP } from 'net';
import { SLUG, VOTE_BATCH_MAX, VOTE_CODE_MAX_LENGTH, VOTE_TOKEN, VOTE_TOKEN_LENGTH, whole } from '../../../shared/contracts';

/**
 * Request bodies of the public routes, declared on the routes (`request`, which Strapi's OpenAPI
 * generator reads) and parsed with the same schema by the controllers (utils/validation.ts).
 */

/** `POST /votes`: the link's token and the chosen vote code (any case; looked up on the lineup). */
export const WebVoteBody = z.object({
  token: z.string().min(VOTE_TOKEN_LENGTH.min).max(VOTE_TOKEN_LENGTH.max),
  choice: z.string().trim().min(1).max(VOTE_CODE_MAX_LENGTH),
});

/** The site's votes for many fans at once: each fan's vote with the address the site saw them at. */
export const WebVoteBatchBody = z.object({
  votes: z
    .array(
      WebVoteBody.extend({
        address: z
          .string()
          .refine((value) => isIP(value) !== 0, 'An IP address')
          .describe("The fan's address as the site saw it (counted by per-address limits)"),
      })
    )
    .min(1)
    .max(VOTE_BATCH_MAX),
});

/** Path parameters: an event's slug, a voting link's token. */
export const SlugParams = { slug: z.string().regex(whole(SLUG)).describe("The event's slug") };
export const TokenParams = { token: z.string().regex(whole(VOTE_TOKEN)).describe('The token of a voting link (/v/<token> on the site)') };

/** `GET /events/:slug/leaderboard` query: `round`, a round number (a recap's earlier rounds), and `locale`. */
export const LeaderboardQuery = {
  round: z.coerce.number({ error: 'Expected a positive integer' }).int('Expected a positive integer').positive('Expected a positive integer').optional(),
  /** `es` for Spanish titles; anything else reads English. */
  locale: z.string().optional(),
};

/** Control characters (a NUL, say) mean nothing in an SMS and PostgreSQL refuses NUL in text: dropped. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** `POST /twilio/inbound`: the fields of Twilio's form this plugin reads (others are ignored). */
export const InboundSmsBody = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'a Twilio MessageSid'),
  From: z.string().min(1).max(40),
  To: z.string().min(1).max(40),
  Body: z
    .string()
    .max(1600)
    .default('')
    // `overwrite`, not `transform`: the output stays a string, which the OpenAPI document can describe.
    .overwrite((body) => body.replace(CONTROL_CHARACTERS, '')),
});
