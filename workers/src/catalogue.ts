import { z } from 'zod';

/**
 * Every job the platform runs, with its payload. Producers (the cms and its plugins) and consumers
 * (this package) share these schemas, so an enqueue with the wrong payload does not compile and a
 * malformed payload that arrives anyway is refused without retries.
 */
export const jobSchemas = {
  'message.send': z.object({
    channel: z.enum(['sms', 'email']),
    /** E.164 phone number for sms, address for email. */
    to: z.string().min(3).max(320),
    subject: z.string().max(200).optional(),
    body: z.string().min(1).max(1600),
    /** Why it is sent (vote-link, round-open, campaign…): shown in the admin, used for consent checks. */
    purpose: z.string().min(1).max(60),
    /** The same key always means the same message: a redelivered job never sends twice. */
    idempotencyKey: z.string().min(8).max(200),
  }),
  /** A voting round opened: text each joined, consenting fan their voting link (one message.send each). */
  'round.notify': z.object({
    roundRef: z.string().min(1).max(64),
  }),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobPayloads = { [N in JobName]: z.infer<(typeof jobSchemas)[N]> };
export const JOB_NAMES = Object.keys(jobSchemas) as JobName[];
