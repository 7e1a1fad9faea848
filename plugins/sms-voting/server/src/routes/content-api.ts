const limit = (limit: string, by: 'ip' | 'from' | 'token') => ({ name: 'plugin::sms-voting.rate-limit', config: { limit, by } });

/** Public routes, each protected by its own rate limit (and the webhook by Twilio's signature). */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'POST',
      path: '/twilio/inbound',
      handler: 'twilio.inbound',
      config: { auth: false, policies: ['plugin::sms-voting.twilio-signature'], middlewares: [limit('smsPerNumber', 'from')] },
    },
    {
      method: 'POST',
      path: '/votes',
      handler: 'votes.create',
      config: { auth: false, middlewares: [limit('webVotesPerIp', 'ip'), limit('attemptsPerToken', 'token')] },
    },
    {
      method: 'GET',
      path: '/tokens/:token',
      handler: 'votes.token',
      config: { auth: false, middlewares: [limit('readsPerIp', 'ip')] },
    },
    {
      method: 'GET',
      path: '/events/:slug/leaderboard',
      handler: 'leaderboard.show',
      config: { auth: false, middlewares: [limit('readsPerIp', 'ip')] },
    },
    {
      method: 'GET',
      path: '/events/:slug/leaderboard/stream',
      handler: 'leaderboard.stream',
      config: { auth: false, middlewares: [limit('readsPerIp', 'ip')] },
    },
  ],
};
