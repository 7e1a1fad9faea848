import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { metrics } from '@ovation/workers/jobs';
import { getService } from '../utils/get-service';
import { twiml } from '../utils/replies';

/** Control characters (a NUL, say) mean nothing in an SMS and PostgreSQL refuses NUL in text: dropped. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const InboundSms = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'a Twilio MessageSid'),
  From: z.string().min(1).max(40),
  To: z.string().min(1).max(40),
  Body: z
    .string()
    .max(1600)
    .default('')
    .transform((body) => body.replace(CONTROL_CHARACTERS, '')),
});

type Ctx = { request: { body?: unknown }; type: string; body: unknown };

const createTwilioController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Twilio's inbound-message webhook: answers with TwiML holding the reply to the fan. */
  async inbound(ctx: Ctx) {
    const parsed = InboundSms.safeParse(ctx.request.body);
    if (!parsed.success) {
      throw new errors.ValidationError('Not an inbound Twilio message', {
        errors: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message, name: 'ValidationError' })),
      });
    }
    const { MessageSid, From, To, Body } = parsed.data;
    const handled = await getService(strapi, 'inbound').handle({ messageSid: MessageSid, from: From, to: To, body: Body });
    metrics.countInboundSms(handled.outcome);
    ctx.type = 'text/xml';
    ctx.body = twiml(handled.reply);
  },
});

export default createTwilioController;
