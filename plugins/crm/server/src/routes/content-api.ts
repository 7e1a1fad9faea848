import { TWILIO_STATUS_CALLBACK_PATH } from '@ovation/workers/jobs';
import { ConfirmResponse, LinkParams, SendGridEventsBody, SubscribeBody, SubscribeResponse, TwilioStatusBody, TwilioStatusQuery, UnsubscribeBody, UnsubscribeResponse } from './schemas';

/** The routes' paths under /api/crm (the workers give Twilio the full one). */
const TWILIO_STATUS = TWILIO_STATUS_CALLBACK_PATH.replace(/^\/api\/crm/, '');
export const SENDGRID_EVENTS_PATH = '/sendgrid/events';

/**
 * The providers' delivery reports: open to the internet, so each is protected by the provider's own
 * signature (403 without it, before anything is read). They are outside the cms's per-address request
 * budget (cms/config/middlewares.ts: the providers post thousands a minute from a few addresses);
 * refusals are limited per address instead (tracking/refused-callbacks.ts). No route reads or lists anything.
 *
 * Marketing email's sign-up and its links' pages (/email/...): open to anyone, each spending the
 * caller's per-address budget of the cms's rate limit; a sign-up is also limited per address emailed.
 * The GETs answer a page with a button (text/html) that POSTs.
 */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'POST',
      path: TWILIO_STATUS,
      handler: 'tracking.twilioStatus',
      request: { query: TwilioStatusQuery, body: { 'application/x-www-form-urlencoded': TwilioStatusBody } },
      config: { auth: false, policies: ['plugin::crm.twilio-signature'] },
    },
    {
      method: 'POST',
      path: SENDGRID_EVENTS_PATH,
      handler: 'tracking.sendgridEvents',
      request: { body: { 'application/json': SendGridEventsBody } },
      config: { auth: false, policies: ['plugin::crm.sendgrid-signature'] },
    },
    {
      method: 'POST',
      path: '/email/subscriptions',
      handler: 'email.subscribe',
      config: { auth: false },
      request: { body: { 'application/json': SubscribeBody } },
      response: SubscribeResponse,
    },
    { method: 'GET', path: '/email/confirm/:token', handler: 'email.confirmPage', config: { auth: false }, request: { params: LinkParams } },
    { method: 'POST', path: '/email/confirm/:token', handler: 'email.confirm', config: { auth: false }, request: { params: LinkParams }, response: ConfirmResponse },
    { method: 'GET', path: '/email/unsubscribe/:token', handler: 'email.unsubscribePage', config: { auth: false }, request: { params: LinkParams } },
    {
      method: 'POST',
      path: '/email/unsubscribe/:token',
      handler: 'email.unsubscribe',
      config: { auth: false },
      request: { params: LinkParams, body: { 'application/x-www-form-urlencoded': UnsubscribeBody } },
      response: UnsubscribeResponse,
    },
  ],
};
