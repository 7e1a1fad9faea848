import { z } from 'zod/v4';

/**
 * `GET /partner/v1/events/:slug/stats` declared for the OpenAPI document. The shape is the voting
 * plugin's contract (`EventStats` in plugins/sms-voting/shared/contracts, which the cms cannot import
 * at compile time); cms/__tests__/partner-stats.test.ts parses real answers with this schema, so
 * the two cannot drift apart unnoticed.
 */
const EventStatsSchema = z.object({
  event: z.object({
    slug: z.string(),
    titles: z.record(z.string(), z.string()).describe('The title per locale (en, es)'),
    phase: z.string(),
    startsAt: z.string().nullable(),
  }),
  attendance: z.number().int().describe('Fans who joined the event'),
  votes: z.number().int(),
  rounds: z.array(
    z.object({
      number: z.number().int(),
      title: z.string().nullable(),
      state: z.enum(['pending', 'open', 'closed']),
      opensAt: z.string().nullable(),
      closesAt: z.string().nullable(),
      votes: z.number().int(),
      entries: z
        .array(z.object({ code: z.string(), artist: z.object({ slug: z.string(), name: z.string() }).nullable(), votes: z.number().int() }))
        .describe('Every lineup entry in lineup order; artist is null while unpublished'),
    })
  ),
  votesPerMinute: z.array(z.object({ minute: z.string(), votes: z.number().int() })).describe('Per UTC minute, oldest first; minutes without votes left out'),
});

export const StatsParams = { slug: z.string().max(255).describe("The event's slug") };
export const StatsResponse = z.object({ data: EventStatsSchema });
