import { z } from 'zod/v4';
import { SENDGRID_REFERENCE_ARG } from '@ovation/workers/jobs';

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
