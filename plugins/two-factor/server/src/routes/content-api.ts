/** What a signed-in API user may call; every role but Public is granted them at each start (bootstrap). */
export const USER_ACTIONS = ['status', 'enrol', 'confirm', 'disable', 'regenerate'].map((name) => `plugin::two-factor.api.${name}`);

export default {
  type: 'content-api',
  routes: [
    // Open: the caller has a challenge, not yet a token. Every wrong answer (and an unknown
    // challenge) counts against the address, and the account, ten in fifteen minutes; the cms's
    // per-address budget (global::rate-limit) applies as to every /api route.
    { method: 'POST', path: '/verify', handler: 'api.verify', config: { auth: false } },
    { method: 'GET', path: '/me', handler: 'api.status' },
    { method: 'POST', path: '/enrol', handler: 'api.enrol' },
    { method: 'POST', path: '/confirm', handler: 'api.confirm' },
    { method: 'POST', path: '/disable', handler: 'api.disable' },
    { method: 'POST', path: '/recovery-codes', handler: 'api.regenerate' },
  ],
};
