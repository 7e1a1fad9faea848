import { TWILIO_STATUS_CALLBACK_PATH } from '@ovation/workers/jobs';
import { SendGridEventsBody, TwilioStatusBody } from './schemas';

/** The routes' paths under /api/crm (the workers give Twilio the full one). */
const TWILIO_STATUS = TWILIO_STATUS_CALLBACK_PATH.replace(/^\/api\/crm/, '');
export const SENDGRID_EVENTS_PATH = '/sendgrid/events';

/**
 * The providers' delivery reports: open to the internet, so each is protected by the provider's own
 * signature (403 without it, before anything is read). They are outside the cms's per-address request
 * budget (cms/config/middlewares.ts: the providers post thousands a minute from a few addresses);
 * refusals are limited per address instead (tracking/refused-callbacks.ts). No route reads or lists anything.
 */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'POST',
      path: TWILIO_STATUS,
      handler: 'tracking.twilioStatus',
      request: { body: { 'application/x-www-form-urlencoded': TwilioStatusBody } },
      config: { auth: false, policies: ['plugin::crm.twilio-signature'] },
    },
    {
      method: 'POST',
      path: SENDGRID_EVENTS_PATH,
      handler: 'tracking.sendgridEvents',
      request: { body: { 'application/json': SendGridEventsBody } },
      config: { auth: false, policies: ['plugin::crm.sendgrid-signature'] },
    },
  ],
};
