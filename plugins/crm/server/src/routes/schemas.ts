import { z } from 'zod/v4';
import { isPlausibleEmail, type Confirm, type Subscribe, type Unsubscribe } from '../../../shared/contracts/email';

/**
 * Marketing email's public routes' bodies as schemas, declared on the routes (`request`, `response`)
 * for the OpenAPI document; the controller parses sign-ups with the same schema. Each response schema
 * is checked against its contract type below, so a change to one without the other does not compile.
 */
export const SubscribeBody = z
  .object({
    email: z.string().trim().max(254).refine(isPlausibleEmail, 'not an email address'),
    language: z.enum(['en', 'es']).describe('The language of the confirmation email and pages'),
    source: z.enum(['vote-page', 'recap-page']).describe('Where the form was: a vote page names the fan by its voting token'),
    token: z.string().trim().min(1).max(128).optional().describe('On a vote page: the voting link’s token'),
    event: z.string().trim().min(1).max(120).optional().describe('On a recap page: the event’s slug'),
  })
  .strict()
  .refine((body) => body.source !== 'vote-page' || body.token, { path: ['token'], message: 'a sign-up on a vote page needs its voting token' });

export const LinkParams = { token: z.string().describe('The token of a link in a confirmation or campaign email') };

/** RFC 8058: a mail client's one-click POST says `List-Unsubscribe=One-Click`. */
export const UnsubscribeBody = z.object({ 'List-Unsubscribe': z.literal('One-Click').optional() });

const SubscribeSchema = z.object({ status: z.literal('confirmation-sent'), expiresAt: z.string().describe('When the confirmation link stops working (7 days)') });
const ConfirmSchema = z.object({ status: z.literal('confirmed') });
const UnsubscribeSchema = z.object({ status: z.literal('unsubscribed') });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches = <T extends true>(): T | undefined => undefined;
matches<Same<z.infer<typeof SubscribeSchema>, Subscribe.Response['data']>>();
matches<Same<z.infer<typeof ConfirmSchema>, Confirm.Response['data']>>();
matches<Same<z.infer<typeof UnsubscribeSchema>, Unsubscribe.Response['data']>>();

export const SubscribeResponse = z.object({ data: SubscribeSchema });
export const ConfirmResponse = z.object({ data: ConfirmSchema });
export const UnsubscribeResponse = z.object({ data: UnsubscribeSchema });
