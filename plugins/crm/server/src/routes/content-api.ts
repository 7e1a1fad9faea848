import { ConfirmResponse, LinkParams, SubscribeBody, SubscribeResponse, UnsubscribeBody, UnsubscribeResponse } from './schemas';

/**
 * Marketing email's public routes (under /api/crm): open to anyone, each spending the caller's
 * per-address budget of the cms's rate limit (global::rate-limit covers /api/); a sign-up is also
 * limited per address emailed. Nothing here reads a fan, a segment or a campaign. The GETs answer a
 * page with a button (text/html) that POSTs.
 */
export default {
  type: 'content-api',
  routes: [
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
