import { z } from 'zod/v4';
import { SENDGRID_REFERENCE_ARG } from '@ovation/workers/jobs';
import { isPlausibleEmail, type Confirm, type Subscribe, type Unsubscribe } from '../../../shared/contracts/email';

/**
 * Request bodies of the providers' callbacks, declared on the routes (`request`, which Strapi's
 * OpenAPI generator reads) and parsed with the same schemas by the tracking controller. Loose
 * objects: the providers send more fields than these, and Twilio signs them all.
 */

/** `POST /twilio/status`: Twilio's StatusCallback form (the fields this plugin reads). */
export const TwilioStatusBody = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'a Twilio message SID'),
  MessageStatus: z.string().min(1).max(32).describe('queued, sent, delivered, undelivered, failed…'),
  ErrorCode: z.string().max(16).optional(),
});

/** The status callback's own query: the outbox row the workers named in the URL they gave Twilio. */
export const TwilioStatusQuery = {
  message: z.string().regex(/^[1-9]\d{0,11}$/, 'an outbox message id').optional().describe('The outbox message the callback is about'),
};

/** One event of SendGrid's Event Webhook (the fields this plugin reads). */
export const SendGridEvent = z.looseObject({
  event: z.string().min(1).max(32).describe('processed, delivered, open, click, bounce, dropped, spamreport, unsubscribe…'),
  timestamp: z.number().int().positive(),
  sg_event_id: z.string().max(200).optional(),
  sg_message_id: z.string().max(200).optional(),
  [SENDGRID_REFERENCE_ARG]: z.union([z.string().max(20), z.number().int()]).optional().describe('The outbox message this email was (a custom argument set when sending)'),
  type: z.string().max(32).optional(),
  reason: z.string().max(2000).optional(),
  response: z.string().max(2000).optional(),
  status: z.string().max(32).optional(),
});

/** `POST /sendgrid/events`: a batch of events, signed as a whole. */
export const SendGridEventsBody = z.array(SendGridEvent).min(1).max(10_000);

/* Marketing email's public routes. */

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
