import { z } from 'zod/v4';
import type { Ballot, BatchedVoteOutcome, Standings, VoteReceipt } from '../../../shared/contracts';

/**
 * The public routes' response bodies as schemas, declared on the routes (`response`) for the
 * OpenAPI document. The shapes are written once, in shared/contracts: each schema is checked
 * against its contract type below, so a change to one without the other does not compile.
 */

const Avatar = z.object({ url: z.string(), alternativeText: z.string().nullable() });
const ArtistCard = z.object({ name: z.string(), slug: z.string(), avatar: Avatar.nullable() }).describe('Null while the artist is unpublished: show the entry by its code');
const RoundState = z.enum(['pending', 'open', 'closed']);
const EventRef = z.object({ slug: z.string(), title: z.string() });

const BallotSchema = z.object({
  event: EventRef,
  round: z.object({ number: z.number().int(), title: z.string().nullable(), state: RoundState, closes_at: z.string().nullable() }),
  entries: z.array(z.object({ code: z.string(), order: z.number().int(), artist: ArtistCard.nullable() })),
  fan: z.object({ locale: z.enum(['en', 'es']) }),
});

const VoteReceiptSchema = z.object({
  round: z.object({ number: z.number().int() }),
  choice: z.object({ code: z.string(), artist: ArtistCard.nullable() }),
  createdAt: z.string(),
});

const StandingsSchema = z.object({
  event: EventRef,
  round: z.object({ number: z.number().int(), title: z.string().nullable(), state: RoundState }).nullable(),
  entries: z.array(z.object({ artist: ArtistCard.nullable(), code: z.string(), votes: z.number().int() })),
  totalVotes: z.number().int(),
  updatedAt: z.string(),
});

const BatchedVoteSchema = z.union([
  z.object({ status: z.literal(201), data: VoteReceiptSchema }),
  z.object({
    status: z.number().int(),
    error: z.object({ status: z.number().int(), name: z.string(), message: z.string(), details: z.unknown().optional() }),
    retryAfter: z.number().int().optional().describe('Seconds to wait, on a 429'),
  }),
]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches = <T extends true>(): T | undefined => undefined;
matches<Same<z.infer<typeof BallotSchema>, Ballot>>();
matches<Same<z.infer<typeof VoteReceiptSchema>, VoteReceipt>>();
matches<Same<z.infer<typeof StandingsSchema>, Standings>>();
matches<Same<z.infer<typeof BatchedVoteSchema>, BatchedVoteOutcome>>();

export const BallotResponse = z.object({ data: BallotSchema });
export const VoteReceiptResponse = z.object({ data: VoteReceiptSchema });
export const VoteBatchResponse = z.object({ data: z.array(BatchedVoteSchema) });
export const StandingsResponse = z.object({ data: StandingsSchema });
