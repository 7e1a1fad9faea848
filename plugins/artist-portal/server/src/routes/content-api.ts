/** What the Artist role may call (granted at each start, bootstrap.ts); each acts on the caller's own artist only. */
export const ARTIST_ACTIONS = ['me', 'updateProfile', 'uploadAvatar', 'dashboard', 'dashboardCsv'].map((name) => `plugin::artist-portal.artist.${name}`);

export default {
  type: 'content-api',
  routes: [
    // Open: whoever holds the link. A token is 256 bits of signature, so guessing is hopeless; the
    // cms's per-address request budget (global::rate-limit) applies as to every /api route.
    { method: 'GET', path: '/claims/:token', handler: 'artist.previewClaim', config: { auth: false } },
    { method: 'POST', path: '/claims/:token', handler: 'artist.claim', config: { auth: false } },
    { method: 'GET', path: '/me', handler: 'artist.me' },
    { method: 'PUT', path: '/me/profile', handler: 'artist.updateProfile' },
    { method: 'POST', path: '/me/avatar', handler: 'artist.uploadAvatar' },
    { method: 'GET', path: '/me/dashboard', handler: 'artist.dashboard' },
    { method: 'GET', path: '/me/dashboard.csv', handler: 'artist.dashboardCsv' },
  ],
};
