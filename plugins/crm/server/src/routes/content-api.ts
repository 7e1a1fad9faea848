/**
 * Marketing email's public routes (under /api/crm): open to anyone, each spending the caller's
 * per-address budget of the cms's rate limit (global::rate-limit covers /api/); a sign-up is also
 * limited per address emailed. Nothing here reads a fan, a segment or a campaign.
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'POST', path: '/email/subscriptions', handler: 'email.subscribe', config: { auth: false } },
    { method: 'GET', path: '/email/confirm/:token', handler: 'email.confirmPage', config: { auth: false } },
    { method: 'POST', path: '/email/confirm/:token', handler: 'email.confirm', config: { auth: false } },
    { method: 'GET', path: '/email/unsubscribe/:token', handler: 'email.unsubscribePage', config: { auth: false } },
    { method: 'POST', path: '/email/unsubscribe/:token', handler: 'email.unsubscribe', config: { auth: false } },
  ],
};
