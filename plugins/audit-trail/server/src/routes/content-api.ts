/**
 * `GET /api/audit-trail/checkpoints`, for an outside party to keep the signed checkpoints: API tokens
 * only (a users-permissions user is refused whatever its role says), and of those only full-access
 * tokens and custom tokens given "audit-trail › checkpoints › list" (`plugin::audit-trail.checkpoints.list`).
 * Read-only tokens get every `find` and `findOne`, so the action is named `list`. Admins use the admin API.
 */
export default {
  type: 'content-api',
  routes: [{ method: 'GET', path: '/checkpoints', handler: 'checkpoints.list', config: { auth: { strategies: ['content-api-token'] } } }],
};
