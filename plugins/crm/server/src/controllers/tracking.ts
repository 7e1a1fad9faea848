import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod/v4';
import { SENDGRID_REFERENCE_ARG } from '@ovation/workers/jobs';
import type { CampaignStats } from '../../../shared/contracts/crm';
import type { DeliveryReport } from '../services/delivery';
import { SENDGRID_EVENTS, TWILIO_ERRORS, TWILIO_STATUSES } from '../tracking/statuses';
import { getService } from '../utils/get-service';
import { SendGridEventsBody, TwilioStatusBody, TwilioStatusQuery } from '../routes/schemas';
import { invalidAll } from '../utils/validation';
import { idParam } from './segments';

type Ctx = { params: Record<string, string>; query?: Record<string, unknown>; request: { body?: unknown }; body: unknown; status: number; redirect(url: string): void; set(name: string, value: string): void };

/** A body checked against its route's schema: a 400 naming every field that is wrong. */
function parseBody<T>(schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidAll([], result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })));
}

const statusQuery = z.strictObject(TwilioStatusQuery);

/** Tracking: short links, the providers' delivery reports, and a campaign's page. */
const createTrackingController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /l/:code — a fan's short link: recorded and redirected to the URL the campaign was saved with. */
  async follow(ctx: Ctx) {
    const url = await getService(strapi, 'short-links').follow(String(ctx.params.code ?? ''));
    if (!url) throw new errors.NotFoundError('No such link');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.status = 302;
    ctx.redirect(url);
  },

  /**
   * Twilio's StatusCallback: the message's status, found by the outbox row the workers named in the
   * callback's URL (signed with the rest), so a status that arrives before the worker has stored the
   * SID Twilio answered with is not lost; by its SID when the URL names none. Unknown: a 404 (Twilio logs it).
   */
  async twilioStatus(ctx: Ctx) {
    const { message: messageId } = parseBody(statusQuery, ctx.query ?? {});
    const body = parseBody(TwilioStatusBody, ctx.request.body ?? {});
    const status = TWILIO_STATUSES[body.MessageStatus.toLowerCase()];
    if (!status) {
      // A status this platform does not track (receiving, partially_delivered…): acknowledged, not recorded.
      ctx.status = 204;
      return;
    }
    const code = body.ErrorCode && body.ErrorCode !== '0' ? body.ErrorCode : null;
    const outcome = await getService(strapi, 'delivery').record({
      message: messageId ? { id: Number(messageId) } : { providerMessageId: body.MessageSid },
      provider: 'twilio',
      status,
      errorCode: code,
      reason: code ? (TWILIO_ERRORS[code] ?? `Twilio error ${code}`) : null,
      providerEventId: `twilio:${body.MessageSid}:${body.MessageStatus.toLowerCase()}`,
      occurredAt: new Date(),
    });
    if (outcome === 'unknown-message') throw new errors.NotFoundError(`No message was sent as ${body.MessageSid}`);
    ctx.status = 204;
  },

  /**
   * SendGrid's Event Webhook: a batch of events, each matched to its message by the custom argument
   * the workers attach. Events about mail this platform did not send (no argument) are skipped.
   */
  async sendgridEvents(ctx: Ctx) {
    const events = parseBody(SendGridEventsBody, ctx.request.body ?? null);
    const reports: DeliveryReport[] = [];
    for (const event of events) {
      const status = SENDGRID_EVENTS[event.event];
      const reference = Number(event[SENDGRID_REFERENCE_ARG]);
      if (!status || !Number.isInteger(reference) || reference <= 0) continue;
      // A hard bounce, a spam report or SendGrid's own unsubscribe link suppress the address; `bounce` of
      // type `blocked` is a soft one (the receiving server refused for now) and does not.
      const hardBounce = event.event === 'bounce' && event.type !== 'blocked';
      reports.push({
        message: { id: reference },
        provider: 'sendgrid',
        status,
        errorCode: event.status ?? null,
        reason: event.reason ?? event.response ?? (event.type ? `${event.event} (${event.type})` : null),
        providerEventId: `sendgrid:${event.sg_event_id ?? `${reference}:${event.event}:${event.timestamp}`}`,
        occurredAt: new Date(event.timestamp * 1000),
        suppress: hardBounce || status === 'spam_report' || status === 'unsubscribed',
      });
    }
    for (const report of reports) await getService(strapi, 'delivery').record(report);
    ctx.status = 204;
  },

  /** GET /crm/campaigns/:id/stats — the campaign page's numbers. */
  async stats(ctx: Ctx) {
    const stats = await getService(strapi, 'campaign-stats').of(idParam(ctx));
    if (!stats) throw new errors.NotFoundError('No such campaign');
    ctx.body = { data: stats satisfies CampaignStats };
  },
});

export default createTrackingController;
