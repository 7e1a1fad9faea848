import { ClaimBody, ClaimParams, ClaimPreviewResponse, ClaimResultResponse, DashboardResponse, MyProfileResponse, ProfileBody } from './schemas';

/** What the Artist role may call (granted at each start, bootstrap.ts); each acts on the caller's own artist only. */
export const ARTIST_ACTIONS = ['me', 'updateProfile', 'uploadAvatar', 'dashboard', 'dashboardCsv'].map((name) => `plugin::artist-portal.artist.${name}`);

export default {
  type: 'content-api',
  routes: [
    // Open: whoever holds the link. A token is 256 bits of signature, so guessing is hopeless; the
    // cms's per-address request budget (global::rate-limit) applies as to every /api route.
    {
      method: 'GET',
      path: '/claims/:token',
      handler: 'artist.previewClaim',
      config: { auth: false },
      request: { params: ClaimParams },
      response: ClaimPreviewResponse,
    },
    {
      method: 'POST',
      path: '/claims/:token',
      handler: 'artist.claim',
      config: { auth: false },
      request: { params: ClaimParams, body: { 'application/json': ClaimBody } },
      response: ClaimResultResponse,
    },
    { method: 'GET', path: '/me', handler: 'artist.me', response: MyProfileResponse },
    { method: 'PUT', path: '/me/profile', handler: 'artist.updateProfile', request: { body: { 'application/json': ProfileBody } }, response: MyProfileResponse },
    // A multipart body with one picture in the field "avatar" (JPEG, PNG or WebP by its content, at most 5 MB).
    { method: 'POST', path: '/me/avatar', handler: 'artist.uploadAvatar', response: MyProfileResponse },
    { method: 'GET', path: '/me/dashboard', handler: 'artist.dashboard', response: DashboardResponse },
    { method: 'GET', path: '/me/dashboard.csv', handler: 'artist.dashboardCsv' },
  ],
};
