import type { Core } from '@strapi/strapi';
import { metrics } from '@ovation/workers/jobs';
import { getService } from '../utils/get-service';
import { twiml } from '../utils/replies';
import { parseBody } from '../utils/validation';
import { InboundSmsBody } from '../routes/schemas';

type Ctx = { request: { body?: unknown }; type: string; body: unknown };

const createTwilioController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Twilio's inbound-message webhook: answers with TwiML holding the reply to the fan. */
  async inbound(ctx: Ctx) {
    const { MessageSid, From, To, Body } = parseBody(InboundSmsBody, ctx.request.body, 'Not an inbound Twilio message');
    const handled = await getService(strapi, 'inbound').handle({ messageSid: MessageSid, from: From, to: To, body: Body });
    metrics.countInboundSms(handled.outcome);
    ctx.type = 'text/xml';
    ctx.body = twiml(handled.reply);
  },
});

export default createTwilioController;
